interface TabListProps<T extends string> {
  label: string;
  tabs: readonly { value: T; label: string; testId?: string }[];
  selected: T;
  onSelect(value: T): void;
  className?: string;
}

/** ARIA tabs: one Tab stop for the group, the arrow keys move between tabs and select them. */
export function TabList<T extends string>({
  label,
  tabs,
  selected,
  onSelect,
  className = 'tab-list',
}: TabListProps<T>) {
  return (
    <div className={className} role="tablist" aria-label={label}>
      {tabs.map((tab, index) => (
        <button
          key={tab.value}
          type="button"
          role="tab"
          className="tab"
          data-testid={tab.testId}
          aria-selected={selected === tab.value}
          tabIndex={selected === tab.value ? 0 : -1}
          onClick={() => onSelect(tab.value)}
          onKeyDown={(event) => {
            if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
            event.preventDefault();
            const step = event.key === 'ArrowRight' ? 1 : -1;
            const target = (index + step + tabs.length) % tabs.length;
            onSelect(tabs[target]!.value);
            event.currentTarget.parentElement?.querySelectorAll('button')[target]?.focus();
          }}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
