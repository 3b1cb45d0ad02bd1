import type { KeyboardEvent } from 'react';
import { useApp, useController } from '../context';
import type { AppView } from '../store/browse';

const VIEWS: ReadonlyArray<{ view: AppView; label: string }> = [
  { view: 'queue', label: 'Uploads' },
  { view: 'browse', label: 'Browse' },
];

/** Switches between the upload queue (the default) and the bucket browser. */
export function ViewTabs() {
  const controller = useController();
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const choose = (next: AppView) =>
    next === 'browse' ? controller.browse.showBrowser() : setView(next);
  // Arrow keys move between tabs, as the ARIA tabs pattern has it.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const index = VIEWS.findIndex((v) => v.view === view);
    const next =
      VIEWS[(index + (event.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    choose(next.view);
    document.getElementById(`view-tab-${next.view}`)?.focus();
  };
  return (
    <div className="view-tabs" role="tablist" aria-label="View" onKeyDown={onKeyDown}>
      {VIEWS.map(({ view: v, label }) => (
        <button
          key={v}
          id={`view-tab-${v}`}
          type="button"
          role="tab"
          className="view-tab"
          aria-selected={view === v}
          tabIndex={view === v ? 0 : -1}
          data-testid={`view-${v}`}
          onClick={() => choose(v)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
