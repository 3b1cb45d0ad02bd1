import type { StateCreator } from 'zustand/vanilla';
import type { ItemProgress, OverallProgress, ProgressSnapshot } from '../../../preload/contract';
import { pickSelection, prune } from './selection';
import type { AppState } from './store';

export interface QueueData {
  /** Keyed by id; a new Map on every change so selectors see a new reference. */
  items: ReadonlyMap<string, ItemProgress>;
  /** Display order. Keeps its reference while no item is added or removed. */
  order: readonly string[];
  overall: OverallProgress;
}

export const EMPTY_OVERALL: OverallProgress = {
  bytesDone: 0,
  bytesTotal: 0,
  filesTotal: 0,
  filesDone: 0,
  filesFailed: 0,
  filesSkipped: 0,
  filesActive: 0,
  rate: 0,
  etaSeconds: null,
  retries: 0,
};

export const EMPTY_QUEUE: QueueData = { items: new Map(), order: [], overall: EMPTY_OVERALL };

/** A full snapshot (from `queueSnapshot`) replaces everything, in main's order. */
export function queueFromSnapshot(snapshot: ProgressSnapshot): QueueData {
  const items = new Map(snapshot.items.map((item) => [item.id, item]));
  return { items, order: [...items.keys()], overall: snapshot.overall };
}

/**
 * Applies a delta. Removals go first: an id both removed and upserted was forgotten and then
 * added again, and main only reports items that still exist as upserts.
 */
export function applyDelta(current: QueueData, snapshot: ProgressSnapshot): QueueData {
  const removed = (snapshot.removed ?? []).filter((id) => current.items.has(id));
  if (snapshot.items.length === 0 && removed.length === 0) {
    return { ...current, overall: snapshot.overall };
  }
  const items = new Map(current.items);
  for (const id of removed) items.delete(id);
  const added: string[] = [];
  for (const item of snapshot.items) {
    if (!items.has(item.id)) added.push(item.id);
    items.set(item.id, item);
  }
  let order = current.order;
  if (removed.length > 0) {
    const gone = new Set(removed);
    order = order.filter((id) => !gone.has(id));
  }
  if (added.length > 0) order = [...order, ...added];
  return { items, order, overall: snapshot.overall };
}

export interface QueueSlice extends QueueData {
  replaceQueue(snapshot: ProgressSnapshot): void;
  applyProgress(snapshot: ProgressSnapshot): void;
}

export const createQueueSlice: StateCreator<AppState, [], [], QueueSlice> = (set, get) => {
  /** Queue changes and the selection they invalidate land in one update. */
  const setQueue = (next: QueueData) => {
    const state = get();
    const exists = (id: string) => next.items.has(id);
    set({ ...next, ...prune(pickSelection(state), state.order, next.order, exists) });
  };
  return {
    ...EMPTY_QUEUE,
    replaceQueue: (snapshot) => setQueue(queueFromSnapshot(snapshot)),
    applyProgress: (snapshot) => {
      const state = get();
      const next = applyDelta(state, snapshot);
      if (next.items === state.items) set({ overall: next.overall });
      else setQueue(next);
    },
  };
};

export type Activity = 'empty' | 'active' | 'waiting' | 'paused' | 'finished';

/**
 * The queue's state in one word. Overall progress has no counts for queued, paused or cancelled
 * items, so this looks at the items; returning a string keeps the selector cheap to compare.
 */
export function activityOf(items: ReadonlyMap<string, ItemProgress>): Activity {
  if (items.size === 0) return 'empty';
  let waiting = false;
  let paused = false;
  for (const item of items.values()) {
    if (item.state === 'uploading' || item.state === 'verifying') return 'active';
    if (item.state === 'queued') waiting = true;
    else if (item.state === 'paused') paused = true;
  }
  if (waiting) return 'waiting';
  return paused ? 'paused' : 'finished';
}
