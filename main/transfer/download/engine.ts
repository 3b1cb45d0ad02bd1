import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { ItemQueue } from '../itemQueue';
import { type ItemProgress, type ItemState, ProgressAggregator } from '../progress';
import type { ProgressSnapshot } from '../progress';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryable, type RetryPolicy, sleep } from '../retry';
import { downloadObject } from './downloadObject';
import { describeDownloadError } from './errors';
import { IncompleteBodyError, type OpenWriter, partialPathOf, writeAtOffset } from './fetchObject';
import type { DownloadBatchRecord, DownloadItemRecord, DownloadJournal } from './journal';
import { keepBothName } from './keyPaths';
import { ensureFolderInside } from './safeFolders';

export interface DownloadEngineSettings {
  filesInFlight: number;
  retry: RetryPolicy;
  progressIntervalMs: number;
  openWriter: OpenWriter;
  /** Which file-system rules apply (the Windows checks are testable anywhere). */
  platform: NodeJS.Platform;
}

export const DEFAULT_DOWNLOAD_SETTINGS: DownloadEngineSettings = {
  filesInFlight: 8,
  retry: DEFAULT_RETRY_POLICY,
  progressIntervalMs: 100,
  openWriter: writeAtOffset,
  platform: process.platform,
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

interface Task {
  /** The item's id, as the queue knows it. */
  id: string;
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
  private readonly progress: ProgressAggregator;
  private readonly queue: ItemQueue<Task>;

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
    this.queue = new ItemQueue<Task>(
      this.progress,
      {
        run: (task) => this.download(task),
        failed: (task, error) => this.recordFailure(task, error),
        cancelled: (task) => this.finishCancelled(task),
      },
      () => this.settings.filesInFlight,
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
      [...this.queue.tasks.values()]
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
    this.queue.pump();
  }

  hasPendingWork(): boolean {
    return this.queue.hasPendingWork();
  }

  pause(ids?: string[]): void {
    this.queue.pause(ids);
  }

  resume(ids?: string[]): void {
    this.queue.resume(ids);
  }

  cancel(ids?: string[]): void {
    this.queue.cancel(ids);
  }

  /** Forgets finished items; a failed one is given up and its partial file deleted. */
  remove(ids: string[]): void {
    this.queue.remove(ids);
  }

  items(): ItemProgress[] {
    return this.progress.all();
  }

  snapshot(): ProgressSnapshot {
    return { items: this.progress.all(), overall: this.progress.overall() };
  }

  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
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
        id: item.id,
        batch,
        item,
        state: this.queue.initialState(initialState),
        controller: null,
        stopReason: null,
      };
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
      this.queue.add(task);
      count++;
    }
    if (count === 0) void this.journal.finishBatch(batch.id);
    this.queue.pump();
    return count;
  }

  private setState(task: Task, state: ItemState, extra: { error?: string; note?: string } = {}) {
    this.queue.setState(task, state, extra);
  }

  /** The row (or the command line's item line) shows the key next to the cause. */
  private async recordFailure(task: Task, error: unknown): Promise<void> {
    const cause = describeDownloadError(error, task.item.versionId);
    this.setState(task, 'failed', { error: cause });
    await this.journal
      .update(task.batch.id, task.item.id, { lastError: cause })
      .catch(() => undefined);
  }

  private async download(task: Task): Promise<void> {
    const { item, batch } = task;
    if (item.folderMarker) {
      await ensureFolderInside(batch.folder, item.target);
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
    const { result, savedAs } = await downloadObject(
      client,
      { ...item, bucket: batch.bucket, folder: batch.folder },
      {
        signal,
        openWriter: this.settings.openWriter,
        platform: this.settings.platform,
        onStart: (offset) => this.progress.update(item.id, { bytesDone: offset }),
        onBytes: (bytes) => {
          this.stats.bytesReceived += bytes;
          this.progress.addBytes(item.id, bytes);
        },
        onPartial: async (partial) => {
          item.partial = partial;
          await this.journal.update(batch.id, item.id, { partial });
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
        onVerifying: () => this.setState(task, 'verifying'),
      },
    );
    if (result.resumedFrom > 0) this.stats.rangedResumes++;
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
