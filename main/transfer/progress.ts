import type {
  ItemProgress,
  ItemState,
  OverallProgress,
  ProgressSnapshot,
} from '../../preload/contract';

export type { ItemProgress, ItemState, OverallProgress, ProgressSnapshot };

export const FINISHED_STATES: ReadonlySet<ItemState> = new Set([
  'done',
  'failed',
  'skipped',
  'cancelled',
]);

export type ItemPatch = Partial<
  Pick<ItemProgress, 'bytesDone' | 'state' | 'error' | 'note' | 'key' | 'size' | 'path'>
>;

const RATE_WINDOW_MS = 5_000;

interface Sample {
  at: number;
  bytes: number;
}

class RateMeter {
  private samples: Sample[] = [];

  record(at: number, bytes: number): number {
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && this.samples[0]!.at < at - RATE_WINDOW_MS) {
      this.samples.shift();
    }
    const first = this.samples[0]!;
    const elapsed = (at - first.at) / 1000;
    return elapsed > 0 ? Math.max(0, (bytes - first.bytes) / elapsed) : 0;
  }

  reset(): void {
    this.samples = [];
  }
}

function eta(remaining: number, rate: number): number | null {
  if (remaining <= 0) return 0;
  return rate > 0 ? Math.ceil(remaining / rate) : null;
}

/**
 * Collects byte counts and states from the engine and hands out at most one snapshot per
 * interval, because a UI or a terminal repainting per part would waste more time than it shows.
 */
export class ProgressAggregator {
  private readonly items = new Map<string, ItemProgress>();
  private readonly meters = new Map<string, RateMeter>();
  private readonly overallMeter = new RateMeter();
  private readonly changed = new Set<string>();
  private readonly removed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private lastEmit = 0;
  private retries = 0;
  private overallRate = 0;

  constructor(
    private readonly emit: (snapshot: ProgressSnapshot) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  add(item: Omit<ItemProgress, 'rate' | 'etaSeconds'>): void {
    this.items.set(item.id, { ...item, rate: 0, etaSeconds: null });
    this.touch(item.id);
  }

  remove(id: string): void {
    this.items.delete(id);
    this.meters.delete(id);
    this.changed.delete(id);
    this.removed.add(id);
    this.schedule();
  }

  get(id: string): ItemProgress | undefined {
    return this.items.get(id);
  }

  all(): ItemProgress[] {
    return [...this.items.values()];
  }

  update(id: string, patch: ItemPatch): void {
    const item = this.items.get(id);
    if (!item) return;
    Object.assign(item, patch);
    if (patch.state && patch.state !== 'uploading') this.meters.get(id)?.reset();
    this.touch(id);
  }

  addBytes(id: string, bytes: number): void {
    const item = this.items.get(id);
    if (!item) return;
    item.bytesDone = Math.min(item.size, Math.max(0, item.bytesDone + bytes));
    this.touch(id);
  }

  countRetry(): void {
    this.retries++;
    this.schedule();
  }

  overall(): OverallProgress {
    let bytesDone = 0;
    let bytesTotal = 0;
    let filesDone = 0;
    let filesFailed = 0;
    let filesSkipped = 0;
    let filesActive = 0;
    for (const item of this.items.values()) {
      if (item.state === 'cancelled') continue;
      if (item.state !== 'skipped') {
        bytesTotal += item.size;
        bytesDone += item.bytesDone;
      }
      if (item.state === 'done') filesDone++;
      else if (item.state === 'failed') filesFailed++;
      else if (item.state === 'skipped') filesSkipped++;
      else if (item.state === 'uploading' || item.state === 'verifying') filesActive++;
    }
    return {
      bytesDone,
      bytesTotal,
      filesTotal: this.items.size,
      filesDone,
      filesFailed,
      filesSkipped,
      filesActive,
      rate: this.overallRate,
      etaSeconds: eta(bytesTotal - bytesDone, this.overallRate),
      retries: this.retries,
    };
  }

  /** Emits pending changes now, e.g. when a batch ends. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const at = this.now();
    this.lastEmit = at;
    const items: ItemProgress[] = [];
    for (const id of this.changed) {
      const item = this.items.get(id);
      if (!item) continue;
      if (item.state === 'uploading') {
        let meter = this.meters.get(id);
        if (!meter) this.meters.set(id, (meter = new RateMeter()));
        item.rate = meter.record(at, item.bytesDone);
        item.etaSeconds = eta(item.size - item.bytesDone, item.rate);
      } else {
        item.rate = 0;
        item.etaSeconds = item.state === 'done' ? 0 : null;
      }
      items.push({ ...item });
    }
    this.changed.clear();
    const removed = [...this.removed];
    this.removed.clear();
    const overall = this.overall();
    // With nothing moving, the windowed rate would decay slowly instead of reading zero.
    this.overallRate =
      overall.filesActive > 0 ? this.overallMeter.record(at, overall.bytesDone) : 0;
    if (overall.filesActive === 0) this.overallMeter.reset();
    overall.rate = this.overallRate;
    overall.etaSeconds = eta(overall.bytesTotal - overall.bytesDone, this.overallRate);
    this.emit({ items, overall, ...(removed.length ? { removed } : {}) });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private touch(id: string): void {
    this.changed.add(id);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastEmit + this.intervalMs - this.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }
}
