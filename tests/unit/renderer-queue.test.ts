import { describe, expect, it } from 'vitest';
import type { ItemProgress, ItemState, ProgressSnapshot } from '../../preload/contract';
import { availableActions, deletePlan, hasAction } from '../../renderer/src/itemActions';
import {
  activityOf,
  applyDelta,
  EMPTY_OVERALL,
  queueFromSnapshot,
} from '../../renderer/src/store/queue';
import { createAppStore } from '../../renderer/src/store/store';

function item(id: string, state: ItemState = 'queued', bytesDone = 0): ItemProgress {
  return {
    id,
    batchId: 'b1',
    path: `/photos/${id}.jpg`,
    bucket: 'pics',
    key: `trip/${id}.jpg`,
    size: 1000,
    bytesDone,
    state,
    rate: 0,
    etaSeconds: null,
  };
}

function snapshot(items: ItemProgress[], removed?: string[]): ProgressSnapshot {
  const overall = { ...EMPTY_OVERALL, filesTotal: items.length };
  return removed ? { items, overall, removed } : { items, overall };
}

describe('renderer queue deltas', () => {
  it('loads a full snapshot in main order', () => {
    const queue = queueFromSnapshot(snapshot([item('b'), item('a')]));
    expect(queue.order).toEqual(['b', 'a']);
    expect(queue.items.get('a')?.key).toBe('trip/a.jpg');
  });

  it('updates items in place without touching the order array', () => {
    const before = queueFromSnapshot(snapshot([item('a'), item('b')]));
    const after = applyDelta(before, snapshot([item('b', 'uploading', 500)]));
    expect(after.order).toBe(before.order);
    expect(after.items).not.toBe(before.items);
    expect(after.items.get('b')?.bytesDone).toBe(500);
    expect(after.items.get('a')).toBe(before.items.get('a'));
  });

  it('appends new items and drops removed ones', () => {
    const before = queueFromSnapshot(snapshot([item('a'), item('b'), item('c')]));
    const after = applyDelta(before, snapshot([item('d')], ['b', 'unknown']));
    expect(after.order).toEqual(['a', 'c', 'd']);
    expect(after.items.has('b')).toBe(false);
    expect(after.items.size).toBe(3);
  });

  it('treats an id both removed and upserted as re-added at the end', () => {
    const before = queueFromSnapshot(snapshot([item('a'), item('b')]));
    const after = applyDelta(before, snapshot([item('a', 'queued')], ['a']));
    expect(after.order).toEqual(['b', 'a']);
  });

  it('replaces only overall when nothing else changed', () => {
    const before = queueFromSnapshot(snapshot([item('a')]));
    const next = snapshot([]);
    next.overall = { ...next.overall, rate: 42 };
    const after = applyDelta(before, next);
    expect(after.items).toBe(before.items);
    expect(after.order).toBe(before.order);
    expect(after.overall.rate).toBe(42);
  });

  it('keeps 10,000 items and handles a delta quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => item(`id${i}`));
    const queue = queueFromSnapshot(snapshot(many));
    const started = performance.now();
    let current = queue;
    for (let i = 0; i < 50; i++) {
      current = applyDelta(current, snapshot([item(`id${i}`, 'uploading', i)]));
    }
    expect((performance.now() - started) / 50).toBeLessThan(20);
    expect(current.order).toBe(queue.order);
  });
});

describe('renderer queue activity', () => {
  const of = (...states: ItemState[]) =>
    activityOf(new Map(states.map((state, i) => [String(i), item(String(i), state)])));

  it('names what the queue is doing, busiest state first', () => {
    expect(of()).toBe('empty');
    expect(of('done', 'queued', 'uploading')).toBe('active');
    expect(of('done', 'verifying')).toBe('active');
    expect(of('paused', 'queued')).toBe('waiting');
    expect(of('paused', 'done')).toBe('paused');
    expect(of('done', 'failed', 'cancelled', 'skipped')).toBe('finished');
  });
});

describe('renderer store', () => {
  it('prunes the selection and moves the cursor when items leave', () => {
    const store = createAppStore();
    store.getState().replaceQueue(snapshot(['a', 'b', 'c', 'd'].map((id) => item(id, 'done'))));
    store.getState().clickRow('b', { toggle: false, range: false });
    store.getState().clickRow('c', { toggle: false, range: true });
    expect([...store.getState().selected]).toEqual(['b', 'c']);
    store.getState().applyProgress(snapshot([], ['b', 'c']));
    const state = store.getState();
    expect(state.order).toEqual(['a', 'd']);
    expect(state.selected.size).toBe(0);
    expect(state.focusId).toBe('d');
    expect(state.anchorId).toBeNull();
  });

  it('leaves the selection object alone when progress does not remove anything', () => {
    const store = createAppStore();
    store.getState().replaceQueue(snapshot([item('a'), item('b')]));
    store.getState().clickRow('a', { toggle: false, range: false });
    const selected = store.getState().selected;
    store.getState().applyProgress(snapshot([item('a', 'uploading', 10)]));
    expect(store.getState().selected).toBe(selected);
  });

  it('counts repeated notices instead of stacking them', () => {
    const store = createAppStore();
    store.getState().pushNotice({ kind: 'error', message: 'Network is down' });
    store.getState().pushNotice({ kind: 'error', message: 'Network is down' });
    store.getState().pushNotice({ kind: 'restored', message: 'Restored 3 uploads' });
    const { notices } = store.getState();
    expect(notices.map((n) => [n.message, n.count])).toEqual([
      ['Network is down', 2],
      ['Restored 3 uploads', 1],
    ]);
    store.getState().dismissNotice(notices[0]!.id);
    expect(store.getState().notices).toHaveLength(1);
  });
});

describe('renderer item actions', () => {
  const items = new Map(
    [item('q', 'queued'), item('f', 'failed'), item('d', 'done'), item('p', 'paused')].map((i) => [
      i.id,
      i,
    ]),
  );

  it('offers the actions that fit the selected states', () => {
    const mask = availableActions(['d', 'p'], items);
    expect(hasAction(mask, 'remove')).toBe(true);
    expect(hasAction(mask, 'resume')).toBe(true);
    expect(hasAction(mask, 'pause')).toBe(false);
    expect(hasAction(mask, 'retry')).toBe(false);
    expect(availableActions([], items)).toBe(0);
  });

  it('removes finished items and cancels the rest on Delete', () => {
    expect(deletePlan(['q', 'f', 'd', 'p', 'gone'], items)).toEqual({
      remove: ['d'],
      cancel: ['q', 'f', 'p'],
    });
  });
});
