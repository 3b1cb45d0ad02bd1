import type { ReactNode } from 'react';
import { useApp, useController } from '../context';
import { formatCount, plural } from '../format';
import { availableActions, canApply, hasAction, type ItemAction } from '../itemActions';
import { Icon, type IconName } from './Icon';

const SELECTION_ACTIONS: readonly { action: ItemAction; label: string; icon: IconName }[] = [
  { action: 'pause', label: 'Pause', icon: 'pause' },
  { action: 'resume', label: 'Resume', icon: 'play' },
  { action: 'retry', label: 'Retry', icon: 'retry' },
  { action: 'cancel', label: 'Cancel', icon: 'cancel' },
  { action: 'remove', label: 'Remove', icon: 'remove' },
];

function SelectionSummary() {
  const count = useApp((s) => s.order.length);
  const selected = useApp((s) => s.selected.size);
  const busy = useApp((s) => s.busy);
  let text: ReactNode = plural(count, 'item');
  if (selected > 0) text = `${formatCount(selected)} of ${plural(count, 'item')} selected`;
  return (
    <p className="toolbar-summary" role="status">
      {busy ?? text}
    </p>
  );
}

export function QueueToolbar() {
  const controller = useController();
  // A bit mask (a number) so the toolbar re-renders only when the set of actions changes.
  const available = useApp((s) => availableActions(s.selected, s.items));
  const anyRemovable = useApp((s) => {
    for (const item of s.items.values())
      if (canApply('remove', item.state, item.direction)) return true;
    return false;
  });
  return (
    <div className="toolbar" role="group" aria-label="Queue actions">
      <SelectionSummary />
      <div className="toolbar-actions">
        {SELECTION_ACTIONS.map(({ action, label, icon }) => (
          <button
            key={action}
            type="button"
            className="button button-small"
            data-testid={`selection-${action}`}
            disabled={!hasAction(available, action)}
            onClick={() => void controller.actOnSelection(action)}
          >
            <Icon name={icon} size={14} /> {label}
          </button>
        ))}
      </div>
      <span className="toolbar-spacer" />
      <p className="toolbar-hint" id="queue-keys">
        <kbd>Space</kbd> select · <kbd>Enter</kbd> retry · <kbd>Del</kbd> remove finished, cancel
        others
      </p>
      <button
        type="button"
        className="button button-small"
        data-testid="clear-finished"
        disabled={!anyRemovable}
        onClick={() => void controller.queueAction('clear-finished')}
      >
        <Icon name="clear" size={14} /> Clear finished
      </button>
    </div>
  );
}
