import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ChecksumMode } from '../s3/checksums';
import { type ConflictPolicy, decideConflict, headOrNull } from './conflicts';
import { assertSameContents, SourceChangedError, waitUntilQuiet } from './changeGuard';
import { describeFsError, httpStatusOf } from './errors';
import {
  type BatchIntent,
  type BatchOptions,
  type Journal,
  type JournalBatch,
  type JournalItem,
  type JournalPart,
  type JournalProblem,
  JournalWriteError,
} from './journal';
import {
  batchHeader,
  batchOptionsFrom,
  newJournalFiles,
  plannedBatch,
  preparingPlaceholder,
  replan,
} from './batchPlanning';
import {
  abortUpload,
  completeUpload,
  createUpload,
  isUploadGone,
  listServerParts,
} from './multipart';
import { listIncompleteUploads } from './orphans';
import {
  FileChangedError,
  putWholeObject,
  readRange,
  uploadPart,
  type PartTarget,
} from './partUploader';
import { DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE, layoutFor, partRange } from './partSizing';
import type { UploadPlan } from './planner';
import {
  type ItemProgress,
  type ItemState,
  ProgressAggregator,
  type ProgressSnapshot,
} from './progress';
import { DEFAULT_RETRY_POLICY, isExpiredCredentials, type RetryPolicy, withRetry } from './retry';
import { BufferPool } from './bufferPool';
import { IMAGE_HEADER_BYTES, readImageMetadata } from './imageMetadata';
import { ItemQueue } from './itemQueue';
import { Semaphore } from './semaphore';
import { ensureMultipartTags } from './multipartTags';
import {
  describeExpiredCredentials,
  describeItemFailure,
  explainDenied,
  ItemError,
  multipartEtag,
} from './itemFailure';
import { openForUpload, REPLACED_BY_EARLIER_READ, sameContents } from './sourceFile';
import { verifyUploadedObject } from './objectChecksum';
import { partsInFlightFor } from './memoryLimits';
import { type ObjectSettingsInput, objectSettingsInput } from './uploadOptions';

export interface EngineSettings {
  filesInFlight: number;
  partsInFlight: number;
  partSize: number;
  multipartThreshold: number;
  checksumMode: ChecksumMode;
  onConflict: ConflictPolicy;
  retry: RetryPolicy;
  progressIntervalMs: number;
  /** A file that changed mid-upload restarts once it has been unchanged this long. */
  changeQuietMs: number;
  /** Restarts for a file that keeps changing before it fails. */
  changeRestarts: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  filesInFlight: 8,
  partsInFlight: 8,
  partSize: DEFAULT_PART_SIZE,
  multipartThreshold: DEFAULT_MULTIPART_THRESHOLD,
  checksumMode: 'WHEN_SUPPORTED',
  onConflict: 'overwrite',
  retry: DEFAULT_RETRY_POLICY,
  progressIntervalMs: 100,
  changeQuietMs: 1_000,
  changeRestarts: 3,
};

/** A file still being written after this long fails instead of holding its slot. */
const CHANGE_GIVE_UP_MS = 60_000;

/** Counters for benchmarks and fault-injection reports. */
export interface TransferStats {
  requestsRetried: number;
  partsUploaded: number;
  bytesSent: number;
  bytesResent: number;
}

/** Finds the client for a batch's connection, so batches of several connections share one queue. */
export type ClientResolver = (
  connectionId: string | undefined,
  bucket: string,
  /** Build a new client, re-reading the credentials, instead of reusing a cached one. */
  renew?: boolean,
) => Promise<S3Client>;

export interface EngineEvents {
  progress: [ProgressSnapshot];
}

interface Batch {
  id: string;
  bucket: string;
  connectionId?: string;
  options: BatchOptions;
  taskIds: string[];
}

interface Task {
  id: string;
  batch: Batch;
  file: JournalItem;
  state: ItemState;
  controller: AbortController | null;
  stopReason: 'pause' | 'cancel' | null;
  /** Set while the task runs. */
  client: S3Client | null;
  /** Its credentials expired: the next run asks for a client with renewed ones. */
  renewClient: boolean;
  /** Set on the row of a batch a crash interrupted while it was planned: running it plans again. */
  preparing?: { intent: BatchIntent; planned: JournalItem[] };
}

function newBatchId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Runs uploads: files in flight and parts in flight are limited separately, every step is written
 * to the journal before it counts, and pause, cancel and crashes all leave a resumable state.
 */
export class TransferEngine extends EventEmitter<EngineEvents> {
  readonly stats: TransferStats = {
    requestsRetried: 0,
    partsUploaded: 0,
    bytesSent: 0,
    bytesResent: 0,
  };
  private readonly settings: EngineSettings;
  private readonly batches = new Map<string, Batch>();
  private readonly queue: ItemQueue<Task>;
  private readonly partSlots: Semaphore;
  private readonly buffers: BufferPool;
  private readonly progress: ProgressAggregator;
  private readonly resolveClient: ClientResolver;

  constructor(
    client: S3Client | ClientResolver,
    private readonly journal: Journal,
    settings: Partial<EngineSettings> = {},
  ) {
    super();
    this.resolveClient = typeof client === 'function' ? client : async () => client;
    this.settings = { ...DEFAULT_ENGINE_SETTINGS, ...settings };
    this.partSlots = new Semaphore(this.settings.partsInFlight);
    this.buffers = new BufferPool(this.settings.partsInFlight);
    this.progress = new ProgressAggregator(
      (snapshot) => this.emit('progress', snapshot),
      this.settings.progressIntervalMs,
    );
    this.queue = new ItemQueue<Task>(
      this.progress,
      {
        run: (task) => this.transfer(task),
        failed: (task, error) => this.recordFailure(task, error),
        cancelled: (task) => this.finishCancelled(task),
      },
      () => this.settings.filesInFlight,
    );
  }

  /** Records every planned file in the journal before the first byte goes out, then queues them. */
  async enqueue(
    plan: UploadPlan,
    overrides: Partial<BatchOptions> = {},
    connectionId?: string,
  ): Promise<string> {
    const id = newBatchId();
    const options = batchOptionsFrom(this.settings, overrides);
    const files = newJournalFiles(id, plan.files, []);
    await this.journal.startBatch(batchHeader(id, plan.bucket, options, connectionId), files);
    this.register(plannedBatch(id, plan.bucket, options, connectionId, files));
    return id;
  }

  /**
   * Journals a batch, what it will upload and where, before its folders are walked: a crash
   * during the walk then leaves a batch that `restore` plans again. `writePlan` and
   * `enqueuePlanned` follow.
   */
  async begin(
    bucket: string,
    intent: BatchIntent,
    overrides: Partial<BatchOptions> = {},
    connectionId?: string,
  ): Promise<string> {
    const id = newBatchId();
    const options = batchOptionsFrom(this.settings, overrides);
    await this.journal.beginBatch(batchHeader(id, bucket, options, connectionId), intent);
    return id;
  }

  /**
   * Journals the files of a begun batch's plan, keeping those a crash left of an earlier plan:
   * none is listed twice. Returns all of them.
   */
  async writePlan(
    batchId: string,
    plan: UploadPlan,
    alreadyPlanned: JournalItem[] = [],
  ): Promise<JournalItem[]> {
    const files = newJournalFiles(batchId, plan.files, alreadyPlanned);
    await this.journal.addItems(batchId, files);
    return [...alreadyPlanned, ...files];
  }

  /** Starts a begun batch whose plan is journaled, with the options finally chosen. */
  async enqueuePlanned(
    batchId: string,
    bucket: string,
    items: JournalItem[],
    overrides: Partial<BatchOptions> = {},
    connectionId?: string,
  ): Promise<void> {
    const options = batchOptionsFrom(this.settings, overrides);
    await this.journal.markPlanned(batchId, options);
    this.register(plannedBatch(batchId, bucket, options, connectionId, items));
  }

  /** Forgets a begun batch that will not be uploaded, e.g. a preview closed without starting. */
  discard(batchId: string): Promise<void> {
    return this.journal.finishBatch(batchId);
  }

  /** Journal files the last restore did not trust (newer format, unreadable, bad records). */
  journalProblems(): JournalProblem[] {
    return this.journal.problems;
  }

  /**
   * Brings back every unfinished upload from the journal, e.g. after a crash or a quit; `paused`
   * leaves them waiting for the user's go; `preparingPaused` only the batches interrupted while
   * being prepared (the app never uploads a drop whose preview was not confirmed on its own).
   */
  async restore(
    options: { paused?: boolean; preparingPaused?: boolean } = {},
  ): Promise<JournalBatch[]> {
    const batches = await this.journal.load();
    for (const batch of batches) {
      if (!this.batches.has(batch.id)) {
        const paused = options.paused || (options.preparingPaused && batch.intent);
        this.register(batch, paused ? 'paused' : 'queued');
      }
    }
    return batches;
  }

  /** Applies new concurrency limits to transfers already queued. */
  configure(limits: Pick<EngineSettings, 'filesInFlight' | 'partsInFlight'>): void {
    this.settings.filesInFlight = limits.filesInFlight;
    this.settings.partsInFlight = limits.partsInFlight;
    this.partSlots.resize(limits.partsInFlight);
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

  /**
   * Forgets finished items, as "clear finished" does in the queue. A failed item is given up:
   * its unfinished upload is aborted and it leaves the journal.
   */
  remove(ids: string[]): void {
    this.queue.remove(ids);
  }

  items(): ItemProgress[] {
    return this.progress.all();
  }

  snapshot(): ProgressSnapshot {
    return { items: this.progress.all(), overall: this.progress.overall() };
  }

  /** Resolves when nothing is uploading or waiting to upload (paused and failed items may remain). */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  /** Stops transfers in flight, keeping everything resumable, and releases the journal. */
  async shutdown(): Promise<void> {
    this.pause();
    await this.whenIdle();
    this.progress.dispose();
    await this.journal.close();
  }

  private register(batch: JournalBatch, initialState: 'queued' | 'paused' = 'queued'): void {
    const runtime: Batch = {
      id: batch.id,
      bucket: batch.bucket,
      ...(batch.connectionId ? { connectionId: batch.connectionId } : {}),
      options: batch.options,
      taskIds: [],
    };
    this.batches.set(batch.id, runtime);
    const files = batch.intent ? [preparingPlaceholder(batch.id, batch.intent)] : batch.items;
    for (const file of files) {
      if (file.finished) continue;
      const task: Task = {
        id: file.id,
        batch: runtime,
        file,
        state: this.queue.initialState(initialState),
        controller: null,
        stopReason: null,
        client: null,
        renewClient: false,
        ...(batch.intent ? { preparing: { intent: batch.intent, planned: batch.items } } : {}),
      };
      runtime.taskIds.push(task.id);
      this.progress.add({
        id: task.id,
        batchId: batch.id,
        path: file.path,
        bucket: batch.bucket,
        key: file.key,
        size: file.size,
        bytesDone: 0,
        state: task.state,
        ...(file.lastError ? { error: file.lastError } : {}),
        ...(file.restartReason ? { note: file.restartReason } : {}),
        ...(batch.intent
          ? { preparing: { files: batch.items.length, sources: batch.intent.sources.length } }
          : {}),
      });
      this.queue.add(task);
    }
    if (runtime.taskIds.length === 0) void this.finishBatchIfDone(runtime);
    this.queue.pump();
  }

  private setState(
    task: Task,
    state: ItemState,
    extra: { error?: string | undefined; note?: string } = {},
  ): void {
    this.queue.setState(task, state, extra);
  }

  /** Expired credentials pause the item rather than fail it: nothing is lost, Resume goes on. */
  private async recordFailure(task: Task, error: unknown): Promise<void> {
    if (error instanceof JournalWriteError) {
      // Nothing can be recorded, so nothing more may be done: the batch waits for a resume.
      this.setState(task, 'paused', { error: error.message });
      this.queue.pause(task.batch.taskIds);
      return;
    }
    if (isExpiredCredentials(error)) {
      task.renewClient = true;
      this.setState(task, 'paused', { error: describeExpiredCredentials(task.file) });
      return;
    }
    let cause = describeItemFailure(error, task.batch.options);
    if (httpStatusOf(error) === 403 && task.client) {
      // Retrying will not help until the rights change: leave no unfinished upload behind.
      if (task.file.upload) {
        await this.restartItem(task, 'access was denied, so the unfinished upload was aborted');
      }
      cause =
        (await explainDenied(task.client, task.batch.bucket, error, task.batch.options)) ?? cause;
    }
    task.file.lastError = cause;
    this.setState(task, 'failed', { error: cause });
    await this.journal
      .record(task.batch.id, { r: 'failed', item: task.id, error: cause })
      .catch(() => undefined);
  }

  private async transfer(task: Task): Promise<void> {
    if (task.preparing) return this.finishPreparing(task, task.preparing);
    const { file, batch } = task;
    task.client = await this.resolveClient(batch.connectionId, batch.bucket, task.renewClient);
    task.renewClient = false;
    const { handle, stats } = await openForUpload(file).catch((error: unknown) => {
      throw new ItemError(describeFsError(error));
    });
    try {
      await this.checkFingerprint(task, stats);
      if (!(await this.applyConflictPolicy(task))) return;
      const layout = await this.uploadConsistently(task, handle);
      if (layout === 'multipart') {
        this.setState(task, 'verifying');
        await this.verify(task);
      }
      await this.journal.record(batch.id, { r: 'done', item: task.id, outcome: 'uploaded' });
      file.finished = 'done';
      this.progress.update(task.id, { bytesDone: file.size });
      this.setState(task, 'done');
      await this.finishBatchIfDone(batch);
    } finally {
      await handle.close();
    }
  }

  /** Plans again a batch a crash interrupted while it was planned; its row gives way to its files. */
  private async finishPreparing(task: Task, preparing: NonNullable<Task['preparing']>) {
    const { batch } = task;
    const plan = await replan(preparing.intent, batch.bucket);
    task.controller!.signal.throwIfAborted();
    const items = await this.writePlan(batch.id, plan, preparing.planned);
    await this.enqueuePlanned(batch.id, batch.bucket, items, batch.options, batch.connectionId);
    this.queue.forget(task.id);
  }

  /** A file edited since it was queued must not have old parts spliced with new bytes. */
  private async checkFingerprint(task: Task, stats: Stats): Promise<void> {
    const { file } = task;
    if (sameContents(file, stats)) {
      file.ctimeMs ??= stats.ctimeMs;
      return;
    }
    const change =
      stats.size !== file.size
        ? `its size changed from ${file.size} to ${stats.size} bytes`
        : 'it was modified';
    if (file.upload) {
      await this.restartItem(
        task,
        `the file changed since the upload started (${change}), so it is uploaded again from the start`,
        stats,
      );
    } else {
      file.size = stats.size;
      file.mtimeMs = stats.mtimeMs;
      file.ctimeMs = stats.ctimeMs;
      this.progress.update(task.id, { size: stats.size });
    }
  }

  /**
   * Uploads the file so that the object is always one whole version of it: a change seen while
   * it is read aborts what was sent, waits until the file is quiet, and starts again.
   */
  private async uploadConsistently(
    task: Task,
    handle: FileHandle,
  ): Promise<'single' | 'multipart'> {
    for (let restarts = 0; ; restarts++) {
      const layout = layoutFor(task.file.size, task.batch.options);
      try {
        if (layout.kind === 'single') await this.putSingle(task, handle);
        else await this.uploadMultipart(task, handle, layout.partSize, layout.partCount);
        return layout.kind;
      } catch (error) {
        if (!(error instanceof SourceChangedError || error instanceof FileChangedError))
          throw error;
        const note = error instanceof SourceChangedError ? error.restartNote : undefined;
        await this.restartAfterChange(task, handle, restarts, note);
      }
    }
  }

  private async restartAfterChange(
    task: Task,
    handle: FileHandle,
    restarts: number,
    note = 'the file was modified while it was being uploaded, so it is uploaded again from the start',
  ): Promise<void> {
    const quiet =
      restarts < this.settings.changeRestarts
        ? await waitUntilQuiet(
            handle,
            this.settings.changeQuietMs,
            CHANGE_GIVE_UP_MS,
            task.controller!.signal,
          )
        : null;
    await this.restartItem(task, note, quiet ?? (await handle.stat()));
    if (!quiet) {
      throw new FileChangedError(
        'the file was modified while it was being uploaded and kept changing; retry to upload it once it is saved',
      );
    }
  }

  private async restartItem(
    task: Task,
    reason: string,
    fingerprint: { size: number; mtimeMs: number; ctimeMs?: number | undefined } = task.file,
  ): Promise<void> {
    const { file, batch } = task;
    if (file.upload) {
      await abortUpload(
        this.clientOf(task),
        batch.bucket,
        file.upload.key,
        file.upload.uploadId,
      ).catch(() => undefined);
    }
    await this.journal.record(batch.id, {
      r: 'restart',
      item: task.id,
      reason,
      size: fingerprint.size,
      mtimeMs: fingerprint.mtimeMs,
      ...(fingerprint.ctimeMs !== undefined ? { ctimeMs: fingerprint.ctimeMs } : {}),
    });
    delete file.upload;
    file.size = fingerprint.size;
    file.mtimeMs = fingerprint.mtimeMs;
    file.ctimeMs = fingerprint.ctimeMs;
    file.restartReason = reason;
    this.progress.update(task.id, { size: file.size, bytesDone: 0, note: reason });
  }

  /** Returns false when the item is skipped. */
  private async applyConflictPolicy(task: Task): Promise<boolean> {
    const { file, batch } = task;
    if (file.upload || file.conflictChecked || batch.options.onConflict === 'overwrite')
      return true;
    const decision = await this.retrying(task, () =>
      decideConflict(
        this.clientOf(task),
        batch.bucket,
        file.key,
        file,
        batch.options.onConflict,
        batch.options,
        task.controller!.signal,
      ),
    );
    if (decision.action === 'skip') {
      await this.journal.record(batch.id, {
        r: 'done',
        item: task.id,
        outcome: 'skipped',
        note: decision.reason,
      });
      file.finished = 'done';
      this.setState(task, 'skipped', { note: decision.reason });
      await this.finishBatchIfDone(batch);
      return false;
    }
    await this.journal.record(batch.id, { r: 'key', item: task.id, key: decision.key });
    file.key = decision.key;
    file.conflictChecked = true;
    this.progress.update(task.id, { key: decision.key });
    return true;
  }

  private target(task: Task, key = task.file.key): PartTarget {
    return {
      client: this.clientOf(task),
      bucket: task.batch.bucket,
      key,
      checksumMode: task.batch.options.checksumMode,
      signal: task.controller!.signal,
    };
  }

  private clientOf(task: Task): S3Client {
    if (!task.client) throw new Error('the task is not running');
    return task.client;
  }

  private retrying<T>(task: Task, attempt: () => Promise<T>, bytes = 0): Promise<T> {
    return withRetry(attempt, this.settings.retry, task.controller!.signal, () => {
      this.stats.requestsRetried++;
      this.stats.bytesResent += bytes;
      this.progress.countRetry();
    });
  }

  /** A single PUT takes a part slot too: it holds a file's worth of memory while it is sent. */
  private async putSingle(task: Task, handle: FileHandle): Promise<void> {
    const size = task.file.size;
    const settings = await this.objectSettings(task, handle);
    const release = await this.partSlots.acquire(task.controller!.signal);
    const body = this.buffers.take(size);
    try {
      await assertSameContents(handle, task.file);
      await readRange(handle, 0, size, body);
      // Checked before sending: a body read across a change is never sent.
      await assertSameContents(handle, task.file);
      await this.retrying(
        task,
        async () => {
          this.stats.bytesSent += size;
          await putWholeObject(this.target(task), body, task.file.contentType, settings);
        },
        size,
      );
    } finally {
      this.buffers.give(body);
      release();
    }
    this.progress.addBytes(task.id, size);
    try {
      await assertSameContents(handle, task.file);
    } catch (error) {
      // The object is whole, but it is the version read before the change.
      if (error instanceof SourceChangedError) {
        throw new SourceChangedError(error.now, REPLACED_BY_EARLIER_READ);
      }
      throw error;
    }
  }

  private async uploadMultipart(
    task: Task,
    handle: FileHandle,
    partSize: number,
    partCount: number,
  ): Promise<void> {
    const { file, batch } = task;
    const signal = task.controller!.signal;
    if (file.upload) await this.reconcile(task, partSize);
    if (!file.upload) {
      // Not abortable in flight: an upload the server created but we never heard of would be
      // an orphan. Once it is journaled, a pause or cancel takes effect.
      const settings = await this.objectSettings(task, handle);
      if (file.creating) {
        await this.abortLostCreates(task, undefined, file.creating.at, file.creating.key);
      }
      const requestedAt = Date.now();
      await this.journal.record(batch.id, {
        r: 'creating',
        item: task.id,
        key: file.key,
        at: requestedAt,
      });
      file.creating = { key: file.key, at: requestedAt };
      let attempts = 0;
      const uploadId = await this.retrying(task, () => {
        attempts++;
        return createUpload(
          this.clientOf(task),
          batch.bucket,
          file.key,
          file.contentType,
          batch.options.checksumMode,
          settings,
        );
      });
      if (attempts > 1) await this.abortLostCreates(task, uploadId, requestedAt);
      await this.journal.record(batch.id, {
        r: 'upload',
        item: task.id,
        key: file.key,
        uploadId,
        partSize,
      });
      file.upload = { uploadId, key: file.key, partSize, parts: new Map() };
      delete file.creating;
      signal.throwIfAborted();
    }
    const upload = file.upload;
    let done = 0;
    for (const part of upload.parts.values()) {
      const { start, end } = partRange(file.size, partSize, part.n);
      done += end - start;
    }
    this.progress.update(task.id, { bytesDone: done });

    const missing: number[] = [];
    for (let n = 1; n <= partCount; n++) if (!upload.parts.has(n)) missing.push(n);
    // One failing part stops its siblings; the item's own signal still pauses or cancels them.
    const siblings = new AbortController();
    const stopSiblings = () => siblings.abort(signal.reason);
    signal.addEventListener('abort', stopSiblings, { once: true });
    const partTarget = { ...this.target(task, upload.key), signal: siblings.signal };
    const worker = async () => {
      for (let n = missing.shift(); n !== undefined; n = missing.shift()) {
        const partNumber = n;
        const { start, end } = partRange(file.size, partSize, partNumber);
        const release = await this.partSlots.acquire(siblings.signal);
        const body = this.buffers.take(end - start);
        let uploaded: Awaited<ReturnType<typeof uploadPart>>;
        try {
          await assertSameContents(handle, file);
          await readRange(handle, start, end, body);
          await assertSameContents(handle, file);
          uploaded = await withRetry(
            async () => {
              this.stats.bytesSent += body.length;
              return uploadPart(partTarget, upload.uploadId, partNumber, body);
            },
            this.settings.retry,
            siblings.signal,
            () => {
              this.stats.requestsRetried++;
              this.stats.bytesResent += body.length;
              this.progress.countRetry();
            },
          );
        } finally {
          this.buffers.give(body);
          release();
        }
        // The slot is free before the journal syncs: the part's bytes are no longer needed.
        this.stats.partsUploaded++;
        const part: JournalPart = { n: partNumber, ...uploaded };
        await this.journal.record(batch.id, { r: 'part', item: task.id, ...part });
        upload.parts.set(partNumber, part);
        this.progress.addBytes(task.id, end - start);
      }
    };
    const workers = Array.from(
      { length: Math.min(partsInFlightFor(partSize, this.settings.partsInFlight), missing.length) },
      () =>
        worker().catch((error) => {
          if (!siblings.signal.aborted) siblings.abort(error);
          throw error;
        }),
    );
    const results = await Promise.allSettled(workers);
    signal.removeEventListener('abort', stopSiblings);
    if (signal.aborted) throw signal.reason;
    // The first failure, not a sibling's abort that it caused.
    if (siblings.signal.aborted) throw siblings.signal.reason;
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;

    await assertSameContents(handle, file);
    await this.complete(task);
  }

  /**
   * A create whose answer was lost (connection dropped, server restarted, the app killed) may
   * still have made an upload; a retry made another. The lost ones are this key's uploads started
   * since the create was first sent, and nobody will ever finish them.
   */
  private async abortLostCreates(
    task: Task,
    keep: string | undefined,
    since: number,
    key = task.file.key,
  ): Promise<void> {
    const { batch } = task;
    const client = this.clientOf(task);
    // Retried like any request: a listing lost to a dropped connection would leave the orphans.
    const uploads = await this.retrying(task, () =>
      listIncompleteUploads(client, batch.bucket, key),
    ).catch(() => []);
    for (const upload of uploads) {
      const initiated = upload.initiated?.getTime() ?? 0;
      // Server clocks round to the second and may run a little behind ours.
      if (upload.key !== key || upload.uploadId === keep || initiated < since - 5_000) continue;
      await this.retrying(task, () =>
        abortUpload(client, batch.bucket, upload.key, upload.uploadId),
      ).catch(() => undefined);
    }
  }

  /**
   * The batch's storage settings plus the file's own image metadata, read from its header once,
   * just before the object is created (a resumed upload already carries them).
   */
  private async objectSettings(task: Task, handle: FileHandle): Promise<ObjectSettingsInput> {
    const options = task.batch.options.upload;
    // Only images are opened for metadata: a video or a PDF costs a read and gives nothing.
    if (!options?.exifMetadata || !task.file.contentType.startsWith('image/')) {
      return objectSettingsInput(options);
    }
    // Read through the checked handle: opening the path again could block on a FIFO put there.
    const header = await readRange(handle, 0, Math.min(task.file.size, IMAGE_HEADER_BYTES));
    const image = await readImageMetadata(header, {
      includeGps: options.includeGps ?? false,
      userMetadata: options.metadata ?? [],
    });
    if (image.note) this.progress.update(task.id, { note: image.note });
    return objectSettingsInput(options, image.entries);
  }

  /** Trusts the server's list of parts over the journal: a part may have landed just before a kill. */
  private async reconcile(task: Task, partSize: number): Promise<void> {
    const { file, batch } = task;
    const upload = file.upload!;
    if (upload.partSize !== partSize) {
      await this.restartItem(task, 'the part size changed, so the upload starts again');
      return;
    }
    const serverParts = await this.retrying(task, () =>
      listServerParts(
        this.clientOf(task),
        batch.bucket,
        upload.key,
        upload.uploadId,
        task.controller!.signal,
      ),
    );
    if (serverParts === null) {
      if (await this.completedBeforeCrash(task)) return;
      await this.restartItem(
        task,
        'the unfinished upload was no longer on the server (aborted or expired), so it is uploaded again from the start',
      );
      return;
    }
    const parts = new Map<number, JournalPart>();
    for (const part of serverParts) {
      const { start, end } = partRange(file.size, partSize, part.n);
      if (part.size !== end - start) continue;
      const crc32 = part.crc32 ?? upload.parts.get(part.n)?.crc32;
      parts.set(part.n, { n: part.n, etag: part.etag, ...(crc32 ? { crc32 } : {}) });
    }
    upload.parts = parts;
  }

  /**
   * After a crash between CompleteMultipartUpload and its journal record, the upload is gone
   * because it succeeded: the object's ETag, derived from the journaled parts, proves it.
   */
  private async completedBeforeCrash(task: Task): Promise<boolean> {
    const { file, batch } = task;
    const upload = file.upload!;
    const layout = layoutFor(file.size, batch.options);
    if (layout.kind !== 'multipart' || upload.parts.size !== layout.partCount) return false;
    const head = await headOrNull(
      this.clientOf(task),
      batch.bucket,
      upload.key,
      task.controller!.signal,
    );
    if (!head || head.ContentLength !== file.size) return false;
    return (head.ETag ?? '').replace(/"/g, '') === multipartEtag([...upload.parts.values()]);
  }

  private async complete(task: Task): Promise<void> {
    const { file, batch } = task;
    const upload = file.upload!;
    const parts = [...upload.parts.values()];
    let attempts = 0;
    try {
      await this.retrying(task, () => {
        attempts++;
        return completeUpload(
          this.clientOf(task),
          batch.bucket,
          upload.key,
          upload.uploadId,
          parts,
          task.controller!.signal,
        );
      });
    } catch (error) {
      // A retried Complete whose first attempt succeeded finds the upload gone.
      const gone = isUploadGone(error);
      if (!(gone && attempts > 1 && (await this.completedBeforeCrash(task)))) throw error;
    }
  }

  private async verify(task: Task): Promise<void> {
    const { file, batch } = task;
    await this.retrying(task, () =>
      verifyUploadedObject(this.clientOf(task), batch.bucket, file, task.controller!.signal),
    );
    const tags = batch.options.upload?.tags ?? [];
    if (tags.length > 0) {
      const note = await ensureMultipartTags(
        this.clientOf(task),
        batch.bucket,
        file.key,
        tags,
        task.controller!.signal,
      );
      if (note) this.progress.update(task.id, { note });
    }
  }

  private async finishCancelled(task: Task): Promise<void> {
    const { file, batch } = task;
    task.client ??= await this.resolveClient(batch.connectionId, batch.bucket).catch(() => null);
    if (file.upload && task.client) {
      await abortUpload(
        this.clientOf(task),
        batch.bucket,
        file.upload.key,
        file.upload.uploadId,
      ).catch(() => undefined);
    }
    await this.journal.record(batch.id, { r: 'cancelled', item: task.id }).catch(() => undefined);
    file.finished = 'cancelled';
    this.setState(task, 'cancelled');
    await this.finishBatchIfDone(batch);
  }

  private async finishBatchIfDone(batch: Batch): Promise<void> {
    const open = batch.taskIds.some((id) => {
      const task = this.queue.tasks.get(id);
      return task && !task.file.finished;
    });
    if (open || !this.batches.has(batch.id)) return;
    this.batches.delete(batch.id);
    await this.journal.finishBatch(batch.id);
  }
}
