import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressAggregator, type ProgressSnapshot } from '../../main/transfer/progress';

const base = { batchId: 'b', path: '/x', bucket: 'bkt', key: 'k', bytesDone: 0 };

describe('progress aggregator', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('emits at most once per interval however many updates arrive', () => {
    const snapshots: ProgressSnapshot[] = [];
    const progress = new ProgressAggregator(
      (s) => snapshots.push(s),
      100,
      () => Date.now(),
    );
    progress.add({ ...base, id: 'a', size: 1000, state: 'uploading' });
    for (let i = 0; i < 500; i++) progress.addBytes('a', 1);
    expect(snapshots).toHaveLength(0);
    vi.advanceTimersByTime(100);
    expect(snapshots).toHaveLength(1);
    for (let i = 0; i < 500; i++) {
      progress.addBytes('a', 1);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(snapshots.length).toBeLessThanOrEqual(7);
    expect(snapshots.at(-1)?.overall.bytesDone).toBe(1000);
  });

  it('sends only the items that changed, with rate and ETA', () => {
    const snapshots: ProgressSnapshot[] = [];
    const progress = new ProgressAggregator(
      (s) => snapshots.push(s),
      100,
      () => Date.now(),
    );
    progress.add({ ...base, id: 'a', size: 1000, state: 'uploading' });
    progress.add({ ...base, id: 'b', size: 1000, state: 'queued' });
    vi.advanceTimersByTime(100);
    progress.addBytes('a', 100);
    vi.advanceTimersByTime(1000);
    progress.addBytes('a', 100);
    vi.advanceTimersByTime(1000);
    const last = snapshots.at(-1)!;
    expect(last.items.map((i) => i.id)).toEqual(['a']);
    expect(last.items[0]!.rate).toBeGreaterThan(0);
    expect(last.items[0]!.etaSeconds).toBeGreaterThan(0);
    expect(last.overall).toMatchObject({ filesTotal: 2, bytesTotal: 2000, bytesDone: 200 });
  });

  it('counts skipped files apart from the bytes to send', () => {
    const progress = new ProgressAggregator(
      () => undefined,
      100,
      () => Date.now(),
    );
    progress.add({ ...base, id: 'a', size: 10, state: 'skipped' });
    progress.add({ ...base, id: 'b', size: 10, state: 'failed' });
    expect(progress.overall()).toMatchObject({ filesSkipped: 1, filesFailed: 1, bytesTotal: 10 });
    progress.dispose();
  });
});
