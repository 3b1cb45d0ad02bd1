import type {
  ItemProgress,
  ItemState,
  QueueAction,
  TransferDirection,
} from '../../preload/contract';

export type ItemAction = Exclude<QueueAction, 'clear-finished'>;

/** Which states each action applies to, matching what the engine accepts. */
const ALLOWED: Record<ItemAction, ReadonlySet<ItemState>> = {
  pause: new Set(['queued', 'uploading', 'verifying']),
  resume: new Set(['paused']),
  retry: new Set(['failed']),
  cancel: new Set(['queued', 'uploading', 'paused', 'verifying', 'failed']),
  remove: new Set(['done', 'skipped', 'cancelled']),
};

/**
 * A point-in-time restore step is one short request to the store: it cannot be paused, cancelled
 * or retried (main refuses and says why), only removed from the list once it has finished.
 */
const ALLOWED_FOR_RESTORE_STEPS: Record<ItemAction, ReadonlySet<ItemState>> = {
  pause: new Set(),
  resume: new Set(),
  retry: new Set(),
  cancel: new Set(),
  remove: new Set(['done', 'failed']),
};

export const ITEM_ACTIONS: readonly ItemAction[] = ['pause', 'resume', 'retry', 'cancel', 'remove'];

export function canApply(
  action: ItemAction,
  state: ItemState,
  direction?: TransferDirection,
): boolean {
  return (direction === 'restore' ? ALLOWED_FOR_RESTORE_STEPS : ALLOWED)[action].has(state);
}

/** The subset of `ids` that `action` applies to, so main only receives meaningful requests. */
export function applicableIds(
  action: ItemAction,
  ids: Iterable<string>,
  items: ReadonlyMap<string, ItemProgress>,
): string[] {
  const result: string[] = [];
  for (const id of ids) {
    const item = items.get(id);
    if (item && canApply(action, item.state, item.direction)) result.push(id);
  }
  return result;
}

/** One bit per action in ITEM_ACTIONS: a primitive, so a selector using it re-renders rarely. */
export function availableActions(
  ids: Iterable<string>,
  items: ReadonlyMap<string, ItemProgress>,
): number {
  const all = (1 << ITEM_ACTIONS.length) - 1;
  let mask = 0;
  for (const id of ids) {
    const item = items.get(id);
    if (!item) continue;
    ITEM_ACTIONS.forEach((action, bit) => {
      if (canApply(action, item.state, item.direction)) mask |= 1 << bit;
    });
    if (mask === all) break;
  }
  return mask;
}

export function hasAction(mask: number, action: ItemAction): boolean {
  return (mask & (1 << ITEM_ACTIONS.indexOf(action))) !== 0;
}

/**
 * What the Delete key does: finished items are removed from the list and unfinished ones
 * cancelled, so one key always "gets rid of" the selection without a second step.
 */
export function deletePlan(
  ids: Iterable<string>,
  items: ReadonlyMap<string, ItemProgress>,
): { remove: string[]; cancel: string[] } {
  const list = [...ids];
  return {
    remove: applicableIds('remove', list, items),
    cancel: applicableIds('cancel', list, items),
  };
}
