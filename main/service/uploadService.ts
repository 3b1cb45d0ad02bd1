import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ListBucketsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type {
  ChecksumMode,
  ConflictPolicy,
  Destination,
  Notice,
  Preflight,
  PreflightConflict,
  ProgressSnapshot,
  QueueActionRequest,
  Settings,
  StartUploadRequest,
} from '../../preload/contract';
import { DEFAULT_ENGINE_SETTINGS, TransferEngine } from '../transfer/engine';
import { fitMemoryBudget } from '../transfer/memoryLimits';
import { Journal, type JournalItem } from '../transfer/journal';
import { DEFAULT_JUNK_FILTER } from '../transfer/junk';
import { normalizePrefix, prefixWarnings } from '../transfer/keys';
import { MiB } from '../transfer/partSizing';
import { planUpload, type SkippedFile, type UploadPlan } from '../transfer/planner';
import { intentFor } from '../transfer/batchPlanning';
import { groupSkipped, unintendedSkips } from '../transfer/planWarnings';
import { validateUploadOptions } from '../transfer/uploadOptions';
import { applyQueueAction } from './queueActions';
import type { SettingsStore } from './settings';
import { uploadDefaultsFor } from './uploadOptionsSchema';

/** An error whose message is meant for the user as it is. */
export class UserFacingError extends Error {}

/** S3 clients per connection profile (undefined: the environment's credentials). */
export interface ClientProvider {
  /** `renew` drops the cached client, so credentials are read again (after they expired). */
  clientFor(connectionId: string | undefined, bucket?: string, renew?: boolean): Promise<S3Client>;
  checksumModeFor(connectionId: string | undefined, bucket?: string): Promise<ChecksumMode>;
}

export interface UploadServiceDeps {
  /** The app's data folder; the journal lives in it. */
  dataDir: string;
  settings: SettingsStore;
  clients: ClientProvider;
  /** A native open dialog; null when the user cancels. */
  pickPaths(kind: 'files' | 'folder'): Promise<string[] | null>;
  onProgress(snapshot: ProgressSnapshot): void;
  onNotice(notice: Notice): void;
}

const PREVIEW_SAMPLE = 20;
/** Beyond this many existing keys the preflight stops looking and lets the policy decide. */
const CONFLICT_LISTING_LIMIT = 50_000;

function commonDirectory(keys: string[]): string {
  if (keys.length === 0) return '';
  let prefix = keys[0]!;
  for (const key of keys) {
    while (!key.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

function summarize(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * What the finished batches did, as the command line's summary says it: files that planning
 * skipped (unreadable, not UTF-8, links out of the folder…) are counted with their reasons.
 */
function finishedNotice(overall: ProgressSnapshot['overall'], skipped: SkippedFile[]): Notice {
  let message = `${summarize(overall.filesDone, 'file')} uploaded`;
  if (overall.filesFailed > 0) {
    message += `, ${overall.filesFailed} failed: see the queue for the causes`;
  }
  for (const group of groupSkipped(skipped)) {
    message += `; ${group.count} skipped: ${group.reason} (${group.folder})`;
  }
  const incomplete = overall.filesFailed > 0 || skipped.length > 0;
  return { kind: incomplete ? 'error' : 'batch-finished', message: `${message}.` };
}

/** Parts in flight as set, lowered where part size × parts would exceed the memory budget. */
function partsWithinBudget(settings: Settings): number {
  return fitMemoryBudget({
    partSize: settings.partSizeMiB * MiB,
    multipartThreshold: DEFAULT_ENGINE_SETTINGS.multipartThreshold,
    partsInFlight: settings.partsInFlight,
  }).partsInFlight;
}

/**
 * What the window can ask of main about uploads, as plain Node: the Electron glue and the
 * end-to-end harness both drive this same object.
 */
export class UploadService {
  private readonly preflights = new Map<
    string,
    {
      plan: UploadPlan;
      conflicts: PreflightConflict[] | null;
      connectionId: string | undefined;
      /** The batch journaled when the files were dropped, and its files as journaled. */
      batchId: string;
      items: JournalItem[];
      /** What was dropped or picked, to plan again when links are to be followed. */
      paths: string[];
    }
  >();
  private wasBusy = false;
  /** Files the started batches' plans left out, said in the finished-batch notice. */
  private skippedSinceIdle: SkippedFile[] = [];

  private constructor(
    private readonly deps: UploadServiceDeps,
    private readonly engine: TransferEngine,
  ) {
    engine.on('progress', (snapshot) => {
      deps.onProgress(snapshot);
      this.announceWhenIdle(snapshot);
    });
  }

  static async create(deps: UploadServiceDeps): Promise<UploadService> {
    const settings = deps.settings.get();
    const engine = new TransferEngine(
      (connectionId, bucket, renew) => deps.clients.clientFor(connectionId, bucket, renew),
      await Journal.open(path.join(deps.dataDir, 'journal')),
      {
        filesInFlight: settings.filesInFlight,
        partsInFlight: partsWithinBudget(settings),
        partSize: settings.partSizeMiB * MiB,
        checksumMode: settings.checksumMode,
      },
    );
    const service = new UploadService(deps, engine);
    await engine.restore({ paused: !settings.autoResumeOnLaunch, preparingPaused: true });
    for (const problem of engine.journalProblems()) {
      deps.onNotice({ kind: 'error', message: problem.message });
    }
    const restored = engine.items().length;
    if (restored > 0) {
      deps.onNotice({
        kind: 'restored',
        message: settings.autoResumeOnLaunch
          ? `Resuming ${summarize(restored, 'unfinished upload')} from last time.`
          : `${summarize(restored, 'unfinished upload')} from last time, paused: press Resume all to continue.`,
      });
    }
    return service;
  }

  async planDropped(request: { paths: string[]; destination: Destination }): Promise<Preflight> {
    return this.plan(request.paths, request.destination);
  }

  async pick(request: {
    kind: 'files' | 'folder';
    destination: Destination;
  }): Promise<Preflight | null> {
    const paths = await this.deps.pickPaths(request.kind);
    return paths && paths.length > 0 ? this.plan(paths, request.destination) : null;
  }

  async startUpload(request: StartUploadRequest): Promise<{ batchIds: string[] }> {
    const preflight = this.preflights.get(request.preflightId);
    if (!preflight) throw new UserFacingError('This preview has expired: add the files again.');
    const { plan: plan0, conflicts, connectionId, batchId, items } = preflight;
    const problems = validateUploadOptions(request.uploadOptions ?? {});
    if (problems.length > 0) {
      throw new UserFacingError(
        `The upload options need fixing: ${problems.map((p) => p.message).join('; ')}.`,
      );
    }
    this.preflights.delete(request.preflightId);
    const plan = request.followOutsideLinks
      ? await planUpload(preflight.paths, { ...this.planOptions(plan0), followOutsideLinks: true })
      : plan0;
    const planned = new Set(plan0.files.map((file) => file.key));
    const settings = this.deps.settings.get();
    const checksumMode = await this.deps.clients.checksumModeFor(connectionId, plan.bucket);
    const known = new Set(conflicts?.map((conflict) => conflict.key) ?? []);
    const groups = new Map<ConflictPolicy, UploadPlan['files']>();
    for (const file of plan.files) {
      // Files known not to clash need no HEAD request each; unknown ones follow the policy.
      // Files behind followed links were never checked: they follow the policy too.
      const policy = known.has(file.key)
        ? (request.perKey?.[file.key] ?? request.onConflict)
        : conflicts && planned.has(file.key)
          ? 'overwrite'
          : request.onConflict;
      // Pushed, not copied: copying the group for each file made 10,000 files take seconds.
      const group = groups.get(policy);
      if (group) group.push(file);
      else groups.set(policy, [file]);
    }
    const optionsFor = (policy: ConflictPolicy) => ({
      onConflict: policy,
      partSize: settings.partSizeMiB * MiB,
      checksumMode,
      ...(request.uploadOptions ? { upload: request.uploadOptions } : {}),
    });
    if (groups.size <= 1 && plan === plan0) {
      // The batch journaled at the drop, with its plan, is the one that uploads.
      const [policy] = groups.keys();
      await this.engine.enqueuePlanned(
        batchId,
        plan.bucket,
        items,
        optionsFor(policy ?? request.onConflict),
        connectionId,
      );
      this.wasBusy = true;
      this.skippedSinceIdle.push(...unintendedSkips(plan.skipped));
      return { batchIds: [batchId] };
    }
    // One batch per policy (or a new plan that follows links); the drop's batch goes once they
    // are journaled, so none is lost.
    const batchIds: string[] = [];
    for (const [policy, files] of groups) {
      const group = { ...plan, files, totalBytes: files.reduce((sum, f) => sum + f.size, 0) };
      batchIds.push(await this.engine.enqueue(group, optionsFor(policy), connectionId));
    }
    await this.engine.discard(batchId);
    this.wasBusy = true;
    this.skippedSinceIdle.push(...unintendedSkips(plan.skipped));
    return { batchIds };
  }

  async discardPreflight(request: { preflightId: string }): Promise<null> {
    const preflight = this.preflights.get(request.preflightId);
    this.preflights.delete(request.preflightId);
    if (preflight) await this.engine.discard(preflight.batchId);
    return null;
  }

  async queueAction(request: QueueActionRequest): Promise<null> {
    if (request.action === 'resume' || request.action === 'retry') this.wasBusy = true;
    applyQueueAction(this.engine, request);
    return null;
  }

  async queueSnapshot(): Promise<ProgressSnapshot> {
    return this.engine.snapshot();
  }

  async resumeUnfinished(): Promise<{ items: number }> {
    const paused = this.engine.items().filter((item) => item.state === 'paused');
    this.wasBusy = true;
    this.engine.resume();
    return { items: paused.length };
  }

  async getSettings(): Promise<Settings> {
    return this.deps.settings.get();
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    const next = await this.deps.settings.update(patch);
    this.engine.configure({
      filesInFlight: next.filesInFlight,
      partsInFlight: partsWithinBudget(next),
    });
    return next;
  }

  async listBuckets(): Promise<string[]> {
    const client = await this.deps.clients.clientFor(this.activeConnectionId());
    const response = await client.send(new ListBucketsCommand({}));
    return (response.Buckets ?? []).map((bucket) => bucket.Name!).filter(Boolean);
  }

  hasActiveUploads(): boolean {
    return this.engine.hasPendingWork();
  }

  overall(): ProgressSnapshot['overall'] {
    return this.engine.snapshot().overall;
  }

  /** Pauses whatever is in flight and closes the journal; everything resumes on next launch. */
  async shutdown(): Promise<void> {
    // A preview left open at quit was never started: it does not come back as interrupted.
    for (const preflight of this.preflights.values()) await this.engine.discard(preflight.batchId);
    this.preflights.clear();
    await this.engine.shutdown();
  }

  private async plan(paths: string[], destination: Destination): Promise<Preflight> {
    if (!destination.bucket) throw new UserFacingError('Choose a bucket first.');
    let prefix: string;
    try {
      prefix = normalizePrefix(destination.prefix);
    } catch (error) {
      throw new UserFacingError((error as Error).message);
    }
    const settings = this.deps.settings.get();
    const connectionId = this.activeConnectionId();
    // Journaled before the walk, with the defaults: a crash while a big folder is listed, or
    // while its preview is open, brings the batch back as "interrupted while preparing".
    const batchId = await this.engine.begin(
      destination.bucket,
      intentFor(paths, prefix, !settings.skipJunkFiles),
      {
        partSize: settings.partSizeMiB * MiB,
        checksumMode: await this.deps.clients.checksumModeFor(connectionId, destination.bucket),
        upload: uploadDefaultsFor(settings.uploadDefaults, connectionId ?? null, {
          bucket: destination.bucket,
          prefix,
        }),
      },
      connectionId,
    );
    let plan: UploadPlan;
    let conflicts: PreflightConflict[] | null;
    let items: JournalItem[];
    try {
      plan = await planUpload(paths, this.planOptions({ bucket: destination.bucket, prefix }));
      const client = await this.deps.clients.clientFor(connectionId, plan.bucket);
      conflicts = await this.findConflicts(client, plan);
      items = await this.engine.writePlan(batchId, plan);
    } catch (error) {
      await this.engine.discard(batchId);
      throw error;
    }
    const id = randomUUID();
    this.preflights.set(id, { plan, conflicts, connectionId, batchId, items, paths });
    return {
      id,
      destination: { bucket: plan.bucket, prefix },
      fileCount: plan.files.length,
      totalBytes: plan.totalBytes,
      sample: plan.files
        .slice(0, PREVIEW_SAMPLE)
        .map(({ key, size, contentType }) => ({ key, size, contentType })),
      skipped: plan.skipped,
      outsideLinks: plan.outsideLinks,
      followsOutsideLinks: false,
      warnings: [...prefixWarnings(prefix), ...plan.warnings],
      conflicts: conflicts ?? [],
      conflictsChecked: conflicts !== null,
      uploadOptions: uploadDefaultsFor(settings.uploadDefaults, connectionId ?? null, {
        bucket: plan.bucket,
        prefix,
      }),
    };
  }

  private planOptions(destination: { bucket: string; prefix: string }) {
    const settings = this.deps.settings.get();
    return {
      bucket: destination.bucket,
      prefix: destination.prefix,
      junkFilter: { ...DEFAULT_JUNK_FILTER, enabled: settings.skipJunkFiles },
    };
  }

  /** Lists what already exists under the files' common folder; null when that is not possible. */
  private activeConnectionId(): string | undefined {
    return this.deps.settings.get().activeConnectionId ?? undefined;
  }

  private async findConflicts(
    client: S3Client,
    plan: UploadPlan,
  ): Promise<PreflightConflict[] | null> {
    if (plan.files.length === 0) return [];
    const wanted = new Map(plan.files.map((file) => [file.key, file.size]));
    const conflicts: PreflightConflict[] = [];
    let seen = 0;
    let ContinuationToken: string | undefined;
    try {
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: plan.bucket,
            Prefix: commonDirectory([...wanted.keys()]),
            ContinuationToken,
          }),
        );
        for (const object of page.Contents ?? []) {
          const size = object.Key !== undefined ? wanted.get(object.Key) : undefined;
          if (size === undefined) continue;
          conflicts.push({
            key: object.Key!,
            size,
            existingSize: object.Size ?? 0,
            existingLastModified: object.LastModified?.toISOString() ?? null,
          });
        }
        seen += page.KeyCount ?? 0;
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken && seen < CONFLICT_LISTING_LIMIT);
    } catch {
      return null;
    }
    return ContinuationToken ? null : conflicts;
  }

  private announceWhenIdle(snapshot: ProgressSnapshot): void {
    const { overall } = snapshot;
    if (!this.wasBusy || this.engine.hasPendingWork()) return;
    this.wasBusy = false;
    const skipped = this.skippedSinceIdle;
    this.skippedSinceIdle = [];
    this.deps.onNotice(finishedNotice(overall, skipped));
  }
}
