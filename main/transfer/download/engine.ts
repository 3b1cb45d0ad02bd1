import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  FINISHED_STATES,
  type ItemProgress,
  type ItemState,
  ProgressAggregator,
} from '../progress';
import type { ProgressSnapshot } from '../progress';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryable, type RetryPolicy, sleep } from '../retry';
import { DownloadError, describeDownloadError } from './errors';
import {
  appendToFile,
  fetchToPartial,
  IncompleteBodyError,
  md5OfFile,
  moveIntoPlace,
  type OpenWriter,
  partialPathOf,
} from './fetchObject';
import type { DownloadBatchRecord, DownloadItemRecord, DownloadJournal } from './journal';
import { keepBothName } from './keyPaths';

export interface DownloadEngineSettings {
  filesInFlight: number;
  retry: RetryPolicy;
  progressIntervalMs: number;
  openWriter: OpenWriter;
}

export const DEFAULT_DOWNLOAD_SETTINGS: DownloadEngineSettings = {
  filesInFlight: 8,
  retry: DEFAULT_RETRY_POLICY,
  progressIntervalMs: 100,
  openWriter: appendToFile,
};

/** One object to download, as planned from a listing or a HEAD. */
export interface PlannedDownload {
  key: string;
  /** A specific version; absent for the latest. */
  versionId?: string;
  /** Absolute path of the file to create. */
  target: string;
  size: number;
  etag: string;
  folderMarker?: boolean;
}

export interface DownloadPlan {
  bucket: string;
  folder: string;
  source?: string;
  objects: PlannedDownload[];
}

export interface DownloadStats {
  /** GETs that asked only for the bytes missing on disk. */
  rangedResumes: number;
  bytesReceived: number;
  restartsAfterChange: number;
}

export type ClientResolver = (
  connectionId: string | undefined,
  bucket: string,
) => Promise<S3Client>;

class PausedError extends Error {
  override readonly name = 'PausedError';
}

class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

interface Task {
  batch: DownloadBatchRecord;
  item: DownloadItemRecord;
  state: ItemState;
  controller: AbortController | null;
  stopReason: 'pause' | 'cancel' | null;
}

const ID_PREFIX = 'dl-';

function newBatchId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Runs downloads next to the upload engine: each object is written to a partial file that
 * resumes with a ranged GET, is verified, and only then takes its name. Item ids start with
 * "dl-" so that one queue can route actions to the right engine.
 */
export class DownloadEngine extends EventEmitter<{ progress: [ProgressSnapshot] }> {
  readonly stats: DownloadStats = { rangedResumes: 0, bytesReceived: 0, restartsAfterChange: 0 };
  private readonly settings: DownloadEngineSettings;
  private readonly tasks = new Map<string, Task>();
  private readonly progress: ProgressAggregator;
  private queue: Task[] = [];
  private active = 0;
  private pausedAll = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly resolveClient: ClientResolver,
    private readonly journal: DownloadJournal,
    settings: Partial<DownloadEngineSettings> = {},
  ) {
    super();
    this.settings = { ...DEFAULT_DOWNLOAD_SETTINGS, ...settings };
    this.progress = new ProgressAggregator(
      (snapshot) => this.emit('progress', snapshot),
      this.settings.progressIntervalMs,
    );
  }

  static owns(itemId: string): boolean {
    return itemId.startsWith(ID_PREFIX);
  }

  /** Journals the whole batch before the first byte is fetched, then queues it. */
  async enqueue(plan: DownloadPlan, connectionId?: string): Promise<string> {
    const id = newBatchId();
    // Two objects (or two batches) writing one partial file would mix their bytes.
    const taken = new Set(
      [...this.tasks.values()]
        .filter((task) => !task.item.finished)
        .map((task) => task.item.target.toLowerCase()),
    );
    const objects = plan.objects.map((object) => {
      let target = object.target;
      for (let n = 1; taken.has(target.toLowerCase()); n++) target = keepBothName(object.target, n);
      taken.add(target.toLowerCase());
      return { ...object, target };
    });
    const batch: DownloadBatchRecord = {
      id,
      createdAt: new Date().toISOString(),
      bucket: plan.bucket,
      ...(connectionId ? { connectionId } : {}),
      folder: plan.folder,
      ...(plan.source ? { source: plan.source } : {}),
      items: objects.map((object, index) => ({
        id: `${ID_PREFIX}${id}-${index}`,
        key: object.key,
        ...(object.versionId ? { versionId: object.versionId } : {}),
        target: object.target,
        size: object.size,
        etag: object.etag,
        ...(object.folderMarker ? { folderMarker: true } : {}),
      })),
    };
    await this.journal.startBatch(batch);
    this.register(batch, 'queued');
    return id;
  }

  /** Brings back the unfinished downloads of a previous run (those `only` accepts). */
  async restore(
    options: { paused?: boolean; only?: (batch: DownloadBatchRecord) => boolean } = {},
  ): Promise<number> {
    let count = 0;
    for (const batch of await this.journal.load()) {
      if (options.only && !options.only(batch)) continue;
      count += this.register(batch, options.paused ? 'paused' : 'queued');
    }
    return count;
  }

  configure(limits: { filesInFlight: number }): void {
    this.settings.filesInFlight = limits.filesInFlight;
    this.pump();
  }

  hasPendingWork(): boolean {
    return [...this.tasks.values()].some(
      (task) => task.state === 'queued' || task.state === 'uploading' || task.state === 'verifying',
    );
  }

  pause(ids?: string[]): void {
    if (!ids) this.pausedAll = true;
    for (const task of this.select(ids)) {
      if (task.state === 'queued') this.setState(task, 'paused');
      else if (task.controller) {
        task.stopReason = 'pause';
        task.controller.abort(new PausedError('paused'));
      }
    }
    this.checkIdle();
  }

  resume(ids?: string[]): void {
    if (!ids) this.pausedAll = false;
    for (const task of this.select(ids)) {
      if (task.state === 'paused' || task.state === 'failed') {
        this.setState(task, 'queued', { error: undefined });
        this.queue.push(task);
      }
    }
    this.pump();
  }

  cancel(ids?: string[]): void {
    for (const task of this.select(ids)) {
      if (FINISHED_STATES.has(task.state) && task.state !== 'failed') continue;
      if (task.controller) {
        task.stopReason = 'cancel';
        task.controller.abort(new CancelledError('cancelled'));
      } else {
        void this.finishCancelled(task);
      }
    }
  }

  /** Forgets finished items; a failed one is given up and its partial file deleted. */
  remove(ids: string[]): void {
    for (const task of this.select(ids)) {
      if (!FINISHED_STATES.has(task.state) || task.controller) continue;
      const forget = () => {
        this.tasks.delete(task.item.id);
        this.progress.remove(task.item.id);
      };
      if (task.state === 'failed') void this.finishCancelled(task).then(forget);
      else forget();
    }
  }

  items(): ItemProgress[] {
    return this.progress.all();
  }

  snapshot(): ProgressSnapshot {
    return { items: this.progress.all(), overall: this.progress.overall() };
  }

  whenIdle(): Promise<void> {
    if (this.isIdle()) {
      this.progress.flush();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops what is in flight, keeping the partial files, and releases the journal. */
  async shutdown(): Promise<void> {
    this.pause();
    await this.whenIdle();
    this.progress.dispose();
    await this.journal.close();
  }

  private register(batch: DownloadBatchRecord, initialState: 'queued' | 'paused'): number {
    let count = 0;
    for (const item of batch.items) {
      if (item.finished) continue;
      const task: Task = {
        batch,
        item,
        state: this.pausedAll ? 'paused' : initialState,
        controller: null,
        stopReason: null,
      };
      this.tasks.set(item.id, task);
      this.progress.add({
        id: item.id,
        batchId: batch.id,
        direction: 'download',
        path: item.target,
        bucket: batch.bucket,
        key: item.key,
        size: item.size,
        bytesDone: 0,
        state: task.state,
        ...(item.lastError ? { error: item.lastError } : {}),
        ...(item.note ? { note: item.note } : {}),
      });
      if (task.state === 'queued') this.queue.push(task);
      count++;
    }
    if (count === 0) void this.journal.finishBatch(batch.id);
    this.pump();
    return count;
  }

  private select(ids?: string[]): Task[] {
    if (!ids) return [...this.tasks.values()];
    return ids.map((id) => this.tasks.get(id)).filter((task): task is Task => Boolean(task));
  }

  private setState(task: Task, state: ItemState, extra: { error?: string; note?: string } = {}) {
    task.state = state;
    this.progress.update(task.item.id, { state, ...extra });
  }

  private pump(): void {
    while (!this.pausedAll && this.active < this.settings.filesInFlight && this.queue.length > 0) {
      const task = this.queue.shift()!;
      if (task.state === 'queued' && this.tasks.has(task.item.id)) this.start(task);
    }
    this.checkIdle();
  }

  private isIdle(): boolean {
    return this.active === 0 && (this.pausedAll || !this.queue.some((t) => t.state === 'queued'));
  }

  private checkIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    this.progress.flush();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private start(task: Task): void {
    this.active++;
    task.controller = new AbortController();
    task.stopReason = null;
    this.setState(task, 'uploading', { error: undefined });
    void this.run(task).finally(() => {
      this.active--;
      task.controller = null;
      this.pump();
    });
  }

  private async run(task: Task): Promise<void> {
    try {
      await this.download(task);
    } catch (error) {
      if (task.stopReason === 'pause') {
        this.setState(task, 'paused');
        return;
      }
      if (task.stopReason === 'cancel') {
        await this.finishCancelled(task);
        return;
      }
      // The row (or the command line's item line) shows the key next to the cause.
      const cause = describeDownloadError(error, task.item.versionId);
      this.setState(task, 'failed', { error: cause });
      await this.journal
        .update(task.batch.id, task.item.id, { lastError: cause })
        .catch(() => undefined);
    }
  }

  private async download(task: Task): Promise<void> {
    const { item, batch } = task;
    if (item.folderMarker) {
      await fs.mkdir(item.target, { recursive: true });
      await this.finish(task, {});
      return;
    }
    const client = await this.resolveClient(batch.connectionId, batch.bucket);
    const signal = task.controller!.signal;
    const policy = this.settings.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.attempt(task, client, signal);
        return;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const transient = error instanceof IncompleteBodyError || isRetryable(error);
        if (!transient || attempt >= policy.maxAttempts) throw error;
        this.progress.countRetry();
        await sleep(backoffDelay(attempt, policy), signal);
      }
    }
  }

  private async attempt(task: Task, client: S3Client, signal: AbortSignal): Promise<void> {
    const { item, batch } = task;
    const result = await fetchToPartial(
      client,
      {
        bucket: batch.bucket,
        key: item.key,
        ...(item.versionId ? { versionId: item.versionId } : {}),
        target: item.target,
        size: item.size,
        etag: item.etag,
      },
      {
        signal,
        openWriter: this.settings.openWriter,
        onStart: (offset) => this.progress.update(item.id, { bytesDone: offset }),
        onBytes: (bytes) => {
          this.stats.bytesReceived += bytes;
          this.progress.addBytes(item.id, bytes);
        },
        onNewVersion: async ({ etag, size, reason }) => {
          if (reason) this.stats.restartsAfterChange++;
          await this.journal.update(batch.id, item.id, {
            etag,
            size,
            ...(reason ? { note: reason } : {}),
          });
          item.etag = etag;
          item.size = size;
          this.progress.update(item.id, { size, ...(reason ? { note: reason } : {}) });
        },
      },
    );
    if (result.resumedFrom > 0) this.stats.rangedResumes++;
    const partial = partialPathOf(item.target);
    if (result.etagIsMd5) {
      this.setState(task, 'verifying');
      const md5 = await md5OfFile(partial, signal);
      if (md5 !== result.etag.replace(/"/g, '').toLowerCase()) {
        await fs.rm(partial, { force: true });
        throw new DownloadError(
          "the downloaded bytes do not match the object's MD5 (ETag): the file was discarded, retry to download it again",
        );
      }
    }
    const savedAs = await moveIntoPlace(partial, item.target);
    await this.finish(task, savedAs === item.target ? {} : { savedAs });
  }

  private async finish(task: Task, extra: { savedAs?: string }): Promise<void> {
    const note = extra.savedAs
      ? `A file with that name already existed: saved as ${extra.savedAs}.`
      : undefined;
    await this.journal.update(task.batch.id, task.item.id, {
      finished: 'done',
      lastError: undefined,
      ...extra,
    });
    task.item.finished = 'done';
    this.progress.update(task.item.id, {
      bytesDone: task.item.size,
      ...(extra.savedAs ? { path: extra.savedAs } : {}),
    });
    this.setState(task, 'done', note ? { note } : {});
    await this.finishBatchIfDone(task.batch);
  }

  private async finishCancelled(task: Task): Promise<void> {
    await fs.rm(partialPathOf(task.item.target), { force: true }).catch(() => undefined);
    await this.journal
      .update(task.batch.id, task.item.id, { finished: 'cancelled' })
      .catch(() => undefined);
    task.item.finished = 'cancelled';
    this.setState(task, 'cancelled');
    await this.finishBatchIfDone(task.batch);
  }

  private async finishBatchIfDone(batch: DownloadBatchRecord): Promise<void> {
    if (batch.items.every((item) => item.finished)) await this.journal.finishBatch(batch.id);
  }
}
