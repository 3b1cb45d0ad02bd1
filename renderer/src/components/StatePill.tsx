import type { ItemState, TransferDirection } from '../../../preload/contract';

const LABELS: Record<ItemState, string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  paused: 'Paused',
  verifying: 'Verifying',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

export function StatePill({
  state,
  direction,
}: {
  state: ItemState;
  direction?: TransferDirection | undefined;
}) {
  const label =
    state === 'uploading' && direction === 'download'
      ? 'Downloading'
      : state === 'uploading' && direction === 'restore'
        ? 'Restoring'
        : LABELS[state];
  return <span className={`pill tone-${state}`}>{label}</span>;
}
