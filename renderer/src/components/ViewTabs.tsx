import { useApp } from '../context';
import type { AppView } from '../store/view';

const TABS: { view: AppView; label: string }[] = [
  { view: 'queue', label: 'Uploads' },
  { view: 'history', label: 'History' },
];

/** Switches between the upload queue and the other views; the arrow keys move between tabs. */
export function ViewTabs() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  return (
    <nav className="view-tabs" role="tablist" aria-label="Views">
      {TABS.map((tab, index) => (
        <button
          key={tab.view}
          type="button"
          role="tab"
          className="tab"
          data-testid={`view-${tab.view}`}
          aria-selected={view === tab.view}
          tabIndex={view === tab.view ? 0 : -1}
          onClick={() => setView(tab.view)}
          onKeyDown={(event) => {
            if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
            const step = event.key === 'ArrowRight' ? 1 : -1;
            const nextTab = TABS[(index + step + TABS.length) % TABS.length]!;
            setView(nextTab.view);
            const buttons = event.currentTarget.parentElement?.querySelectorAll('button');
            buttons?.[TABS.indexOf(nextTab)]?.focus();
          }}
        >
          {tab.label}
        </button>
      ))}
    </nav>
  );
}
