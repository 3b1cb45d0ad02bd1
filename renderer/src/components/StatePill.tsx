import type { ItemState } from '../../../preload/contract';

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

export function StatePill({ state }: { state: ItemState }) {
  return <span className={`pill tone-${state}`}>{LABELS[state]}</span>;
}
