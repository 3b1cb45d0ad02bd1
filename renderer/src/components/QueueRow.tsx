import { memo, type MouseEvent } from 'react';
import type { ItemProgress } from '../../../preload/contract';
import { useApp, useController } from '../context';
import { formatBytes, formatDuration, formatRate, fraction, preparingMessage } from '../format';
import { canApply, type ItemAction } from '../itemActions';
import { fileName } from '../keys';
import { Icon, type IconName } from './Icon';
import { ProgressBar } from './ProgressBar';
import { StatePill } from './StatePill';
import { directionOf } from '../transferDirection';

/** Fixed, so the virtualizer never has to measure rows. */
export const ROW_HEIGHT = 64;

type Preparing = NonNullable<ItemProgress['preparing']>;

export function rowDomId(id: string): string {
  return `queue-row-${id}`;
}

function RowProgress({ item, name }: { item: ItemProgress; name: string }) {
  const value = item.state === 'done' ? 1 : fraction(item.bytesDone, item.size);
  const partial = item.bytesDone > 0 && item.bytesDone < item.size;
  return (
    <>
      <ProgressBar value={value} label={`Progress of ${name}`} tone={item.state} />
      <div className="row-stats">
        <span>
          {partial
            ? `${formatBytes(item.bytesDone)} of ${formatBytes(item.size)}`
            : formatBytes(item.size)}
        </span>
        {item.state === 'uploading' && (
          <>
            <span className="row-speed">{formatRate(item.rate)}</span>
            <span className="row-eta">{formatDuration(item.etaSeconds)} left</span>
          </>
        )}
      </div>
    </>
  );
}

interface RowButtonProps {
  item: ItemProgress;
  action: ItemAction;
  icon: IconName;
  label: string;
}

function RowButton({ item, action, icon, label }: RowButtonProps) {
  const controller = useController();
  const onClick = (event: MouseEvent) => {
    // The row's own click would change the selection.
    event.stopPropagation();
    void controller.queueAction(action, [item.id]);
  };
  return (
    <button
      type="button"
      className={`button button-icon button-ghost row-button row-${action}`}
      aria-label={`${label} ${fileName(item.key)}`}
      title={
        item.direction === 'restore' && action !== 'remove'
          ? `${label}: a restore step is one request to the store and cannot be stopped`
          : label
      }
      tabIndex={-1}
      disabled={!canApply(action, item.state, item.direction)}
      data-testid={`row-${action}`}
      // Keeps focus on the grid, where the keyboard cursor lives.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      <Icon name={icon} />
    </button>
  );
}

/** Three fixed slots so buttons line up from row to row; the first one depends on the state. */
function RowActions({ item }: { item: ItemProgress }) {
  let first: Omit<RowButtonProps, 'item'> = { action: 'pause', icon: 'pause', label: 'Pause' };
  if (item.state === 'failed') first = { action: 'retry', icon: 'retry', label: 'Retry' };
  else if (item.state === 'paused') first = { action: 'resume', icon: 'play', label: 'Resume' };
  return (
    <>
      <RowButton item={item} {...first} />
      <RowButton item={item} action="cancel" icon="cancel" label="Cancel" />
      <RowButton item={item} action="remove" icon="remove" label="Remove" />
    </>
  );
}

/** "Interrupted while preparing N files · Resume": the batch is listed again, then uploaded. */
function PreparingMessage({ item, preparing }: { item: ItemProgress; preparing: Preparing }) {
  const controller = useController();
  const text = preparingMessage(preparing);
  return (
    <span className="row-message" title={text} data-testid="row-preparing">
      {text}
      {item.state === 'paused' && (
        <>
          {' · '}
          <button
            type="button"
            className="row-message-action"
            onClick={(event) => {
              event.stopPropagation();
              void controller.queueAction('resume', [item.id]);
            }}
          >
            Resume
          </button>
        </>
      )}
    </span>
  );
}

interface QueueRowProps {
  id: string;
  index: number;
  start: number;
}

export const QueueRow = memo(function QueueRow({ id, index, start }: QueueRowProps) {
  const item = useApp((s) => s.items.get(id));
  const selected = useApp((s) => s.selected.has(id));
  const focused = useApp((s) => s.focusId === id);
  const clickRow = useApp((s) => s.clickRow);
  if (!item) return null;

  // A batch still being prepared has no file yet: it is named after what was dropped.
  const name = item.preparing ? fileName(item.path.replace(/\\/g, '/')) : fileName(item.key);
  const direction = directionOf(item);
  const message = item.error ?? item.note;
  const classes = ['queue-row', `state-${item.state}`];
  if (selected) classes.push('is-selected');
  if (focused) classes.push('is-cursor');
  return (
    <div
      role="row"
      id={rowDomId(id)}
      className={classes.join(' ')}
      aria-rowindex={index + 1}
      aria-selected={selected}
      style={{ transform: `translateY(${start}px)` }}
      data-testid="queue-row"
      data-state={item.state}
      data-key={item.key}
      data-direction={item.direction ?? 'upload'}
      onClick={(event) =>
        clickRow(id, { toggle: event.ctrlKey || event.metaKey, range: event.shiftKey })
      }
    >
      <div role="gridcell" className="row-file">
        <span className="row-name" title={item.path}>
          {direction.icon === 'download' && (
            <span className="row-direction" role="img" aria-label="Download" title="Download">
              <Icon name="download" size={12} />
            </span>
          )}
          {direction.icon === 'restore' && (
            <span
              className="row-direction"
              role="img"
              aria-label="Point-in-time restore"
              title="Point-in-time restore"
            >
              <Icon name="history" size={12} />
            </span>
          )}
          {name}
        </span>
        <span className="row-key" title={`s3://${item.bucket}/${item.key}`}>
          {direction.route}
        </span>
        {item.preparing && !item.error ? (
          <PreparingMessage item={item} preparing={item.preparing} />
        ) : (
          message && (
            <span className={item.error ? 'row-message is-error' : 'row-message'} title={message}>
              {message}
            </span>
          )
        )}
      </div>
      <div role="gridcell" className="row-progress">
        <RowProgress item={item} name={name} />
      </div>
      <div role="gridcell" className="row-state">
        <StatePill state={item.state} direction={item.direction} />
      </div>
      <div role="gridcell" className="row-actions">
        <RowActions item={item} />
      </div>
    </div>
  );
});
