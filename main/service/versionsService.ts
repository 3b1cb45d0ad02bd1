/**
 * What the window can ask of main about object versions: history, preview, links, restore,
 * undelete, point-in-time restore of a prefix, permanent deletion and the audit log. Plain Node,
 * built on main/versions; every change is recorded in the audit log under the connection's name.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type {
  AuditEntryView,
  AuditExportFormat,
  DeletedKeysPage,
  LinkExpirySeconds,
  ObjectVersionView,
  PlanActionView,
  PointInTimePlanView,
  PointInTimeProgress,
  PointInTimeRequest,
  RestoreVersionResult,
  UndeleteKeyResult,
  VersionCursorView,
  VersioningStatus,
  VersionLink,
  VersionListPage,
  VersionPreview,
  VersionRefView,
} from '../../preload/contract';
import type { ImageDecoder } from '../imaging/imageDecoder';
import { presigningClient } from '../s3/client';
import { describeS3Error } from '../transfer/errors';
import { AuditLog, type AuditContext } from '../versions/audit';
import { deleteVersionPermanently } from '../versions/delete';
import { listAllVersions, listVersionsPage, type VersionEntry } from '../versions/history';
import {
  applyPointInTimePlan,
  planPointInTime,
  type PlanAction,
  type PointInTimePlan,
} from '../versions/pointInTime';
import { restoreVersion } from '../versions/restore';
import { undelete } from '../versions/undelete';
import type { SettingsStore } from './settings';
import { UserFacingError, type ClientProvider } from './uploadService';
import type { VersionStepQueue } from './versionStepQueue';

export interface VersionsServiceDeps {
  dataDir: string;
  settings: SettingsStore;
  clients: Pick<ClientProvider, 'clientFor'>;
  /** The name the audit log records for a connection (undefined: the environment's). */
  profileName(connectionId: string | undefined): Promise<string>;
  /** A native save dialog; null when the user cancels. */
  pickSaveFile(defaultName: string): Promise<string | null>;
  /** Decodes previews outside main: the bytes come from the bucket, so they are untrusted. */
  imageDecoder: ImageDecoder;
  /** Entries per listing request (tests lower it); S3's maximum is 1,000. */
  pageSize?: number;
  /** The shared queue's rows for the steps of an applied point-in-time restore. */
  steps?: VersionStepQueue;
}

/** Only this much of a version is fetched to draw its preview; bigger images say so instead. */
export const PREVIEW_MAX_BYTES = 25 * 1024 * 1024;
const PREVIEW_EDGE = 320;
/** Versions per page of a key's history: a first page shows at once, the rest on demand. */
const HISTORY_PAGE_SIZE = 100;
/** Listing pages read for one page of deleted keys before answering with none found yet. */
const DELETED_SCAN_PAGES = 10;
/** Plans kept for applying; older ones are forgotten (their user computes them again). */
const PLANS_KEPT = 20;
/** Actions applied between two progress updates of a point-in-time restore. */
const APPLY_CHUNK = 8;
/** The audit view shows the newest records; the export has them all. */
const AUDIT_VIEW_LIMIT = 2000;

function view(entry: VersionEntry): ObjectVersionView {
  return {
    key: entry.key,
    versionId: entry.versionId,
    isDeleteMarker: entry.isDeleteMarker,
    isLatest: entry.isLatest,
    lastModified: entry.lastModified.toISOString(),
    ...(entry.size !== undefined && { size: entry.size }),
    ...(entry.etag !== undefined && { etag: entry.etag }),
    ...(entry.storageClass !== undefined && { storageClass: entry.storageClass }),
  };
}

function actionView(action: PlanAction): PlanActionView {
  if (action.kind === 'undelete') {
    return { kind: 'undelete', key: action.key, versionId: action.versionId };
  }
  return action;
}

/** The version's own content type decides; the key's extension only when the type says nothing. */
function looksLikeImage(contentType: string | undefined, key: string): boolean {
  if (contentType && contentType !== 'application/octet-stream') {
    return contentType.startsWith('image/');
  }
  return /\.(jpe?g|png|gif|webp|avif|tiff?)$/i.test(key);
}

interface PlanJob {
  bucket: string;
  plan: PointInTimePlan;
  /** Bytes each action copies, in the actions' order (the size of a restored version). */
  sizes: number[];
  connectionId: string | undefined;
  progress: PointInTimeProgress;
  started: boolean;
}

export class VersionsService {
  readonly audit: AuditLog;
  private readonly plans = new Map<string, PlanJob>();

  constructor(private readonly deps: VersionsServiceDeps) {
    this.audit = new AuditLog(path.join(deps.dataDir, 'audit'));
  }

  async versioningStatus({ bucket }: { bucket: string }): Promise<VersioningStatus> {
    const client = await this.client(bucket);
    const response = await this.s3(`read the versioning status of ${bucket}`, () =>
      client.send(new GetBucketVersioningCommand({ Bucket: bucket })),
    );
    return response.Status === 'Enabled' || response.Status === 'Suspended'
      ? response.Status
      : 'Unversioned';
  }

  async enableVersioning({ bucket }: { bucket: string }): Promise<VersioningStatus> {
    const client = await this.client(bucket);
    await this.s3(`enable versioning on ${bucket}`, () =>
      client.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      ),
    );
    return this.versioningStatus({ bucket });
  }

  async listVersions(request: {
    bucket: string;
    key: string;
    cursor?: VersionCursorView;
  }): Promise<VersionListPage> {
    const client = await this.client(request.bucket);
    const page = await this.s3(`list the versions of ${request.key}`, () =>
      listVersionsPage(client, {
        bucket: request.bucket,
        prefix: request.key,
        exactKey: true,
        maxKeys: this.deps.pageSize ?? HISTORY_PAGE_SIZE,
        ...(request.cursor && { cursor: request.cursor }),
      }),
    );
    return {
      versions: page.entries.map(view),
      ...(page.next && { next: page.next }),
    };
  }

  async previewVersion(ref: VersionRefView): Promise<VersionPreview> {
    const client = await this.client(ref.bucket);
    const what = `${ref.key} (version ${ref.versionId})`;
    const response = await this.s3(`preview ${what}`, () =>
      client.send(
        new GetObjectCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          VersionId: ref.versionId,
          // One byte past the cap tells a too-big image from one that fits exactly.
          Range: `bytes=0-${PREVIEW_MAX_BYTES}`,
        }),
      ),
    );
    if (!looksLikeImage(response.ContentType, ref.key)) {
      response.Body?.transformToWebStream()
        .cancel()
        .catch(() => {});
      return { kind: 'none', reason: `No preview: ${ref.key} is not an image.` };
    }
    const bytes = Buffer.from((await response.Body?.transformToByteArray()) ?? []);
    if (bytes.length > PREVIEW_MAX_BYTES) {
      return {
        kind: 'none',
        reason: `No preview: ${ref.key} is larger than ${PREVIEW_MAX_BYTES / 1024 / 1024} MiB.`,
      };
    }
    const rendered = await this.deps.imageDecoder.render(bytes, {
      outputs: [{ edge: PREVIEW_EDGE, format: 'png' }],
    });
    if (!rendered.ok) return { kind: 'none', reason: `No preview of ${what}: ${rendered.reason}.` };
    const [image] = rendered.images;
    return {
      kind: 'image',
      dataUrl: `data:image/png;base64,${Buffer.from(image!.data).toString('base64')}`,
      width: image!.width,
      height: image!.height,
    };
  }

  async versionLink(
    request: VersionRefView & { expiresInSeconds: LinkExpirySeconds },
  ): Promise<VersionLink> {
    const client = await this.client(request.bucket);
    const signer = presigningClient(client);
    const url = await getSignedUrl(
      signer,
      new GetObjectCommand({
        Bucket: request.bucket,
        Key: request.key,
        VersionId: request.versionId,
      }),
      { expiresIn: request.expiresInSeconds },
    ).finally(() => signer.destroy());
    const chosen = new Date(Date.now() + request.expiresInSeconds * 1000);
    // A link signed with temporary credentials (SSO, assumed role) dies with them.
    const { expiration } = await client.config.credentials();
    if (expiration && expiration < chosen) {
      return {
        url,
        expiresAt: expiration.toISOString(),
        note: 'The connection uses temporary credentials, so the link stops working when they expire.',
      };
    }
    return { url, expiresAt: chosen.toISOString() };
  }

  async restoreVersion(ref: VersionRefView): Promise<RestoreVersionResult> {
    const { client, audit } = await this.acting(ref.bucket);
    const result = await this.s3(`restore ${ref.key} to version ${ref.versionId}`, () =>
      restoreVersion(client, ref, { audit }),
    );
    return {
      key: result.key,
      sourceVersionId: result.sourceVersionId,
      ...(result.newVersionId !== undefined && { newVersionId: result.newVersionId }),
      method: result.method,
    };
  }

  async undeleteKeys(request: { bucket: string; keys: string[] }): Promise<UndeleteKeyResult[]> {
    const { client, audit } = await this.acting(request.bucket);
    const results: UndeleteKeyResult[] = [];
    for (const key of request.keys) {
      try {
        const done = await undelete(client, request.bucket, key, { audit });
        results.push({
          key,
          ok: true,
          strategy: done.strategy,
          detail:
            done.strategy === 'removed-delete-marker'
              ? `Removed the delete marker; version ${done.restoredVersionId} is the latest again.`
              : `Copied version ${done.restoredVersionId} back on top (${done.fallbackReason}).`,
        });
      } catch (error) {
        results.push({ key, ok: false, detail: `${key}: ${describeS3Error(error)}` });
      }
    }
    return results;
  }

  async listDeletedKeys(request: {
    bucket: string;
    prefix: string;
    cursor?: VersionCursorView;
  }): Promise<DeletedKeysPage> {
    const client = await this.client(request.bucket);
    const keys: DeletedKeysPage['keys'] = [];
    let cursor = request.cursor;
    // Most keys under a prefix are alive: read on until some deleted ones turn up (or a bound,
    // so that the window still hears back soon on a huge prefix and can ask for more).
    for (let pages = 0; pages < DELETED_SCAN_PAGES && keys.length === 0; pages++) {
      const page = await this.s3(`list deleted files under ${request.prefix || 'the bucket'}`, () =>
        listVersionsPage(client, {
          bucket: request.bucket,
          prefix: request.prefix,
          maxKeys: this.deps.pageSize ?? 1000,
          ...(cursor && { cursor }),
        }),
      );
      // The latest flag marks a key's current state even when its history spans two pages.
      for (const entry of page.entries) {
        if (entry.isLatest && entry.isDeleteMarker) {
          keys.push({ key: entry.key, deletedAt: entry.lastModified.toISOString() });
        }
      }
      cursor = page.next;
      if (!cursor) break;
    }
    return { keys, ...(cursor && { next: cursor }) };
  }

  async planPointInTime(request: PointInTimeRequest): Promise<PointInTimePlanView> {
    const at = new Date(request.at);
    if (Number.isNaN(at.getTime())) throw new UserFacingError(`${request.at} is not a date.`);
    if (at.getTime() > Date.now()) {
      throw new UserFacingError('Choose a moment in the past: the future has no versions yet.');
    }
    const connectionId = this.activeConnectionId();
    const client = await this.deps.clients.clientFor(connectionId, request.bucket);
    const entries = await this.s3(`list the versions under ${request.prefix || 'the bucket'}`, () =>
      listAllVersions(client, request.bucket, request.prefix),
    );
    const plan = planPointInTime(entries, at, { deleteCreatedSince: request.deleteCreatedSince });
    const sizeOf = new Map(
      entries.map((entry) => [`${entry.key}\0${entry.versionId}`, entry.size]),
    );
    const planId = randomUUID();
    this.forgetOldPlans();
    this.plans.set(planId, {
      bucket: request.bucket,
      plan,
      sizes: plan.actions.map((action) =>
        action.kind === 'restore' ? (sizeOf.get(`${action.key}\0${action.versionId}`) ?? 0) : 0,
      ),
      connectionId,
      started: false,
      progress: { planId, done: 0, total: plan.actions.length, finished: false, results: [] },
    });
    return {
      planId,
      bucket: request.bucket,
      prefix: request.prefix,
      at: at.toISOString(),
      actions: plan.actions.map(actionView),
      createdSince: plan.createdSince,
      unchanged: plan.unchanged,
    };
  }

  /** Starts applying a planned restore and answers at once; progress is polled. */
  async applyPointInTime({ planId }: { planId: string }): Promise<PointInTimeProgress> {
    const job = this.job(planId);
    if (!job.started) {
      job.started = true;
      void this.runPlan(job);
    }
    return { ...job.progress };
  }

  async pointInTimeProgress({ planId }: { planId: string }): Promise<PointInTimeProgress> {
    return { ...this.job(planId).progress };
  }

  async deleteVersionPermanently(request: VersionRefView & { typedKey: string }): Promise<null> {
    // The schema checks this too; a second check here keeps the rule where the deleting happens.
    if (request.typedKey !== request.key) {
      throw new UserFacingError(
        `Not deleted: type the key name ${request.key} exactly to confirm a permanent deletion.`,
      );
    }
    const { client, audit } = await this.acting(request.bucket);
    await this.s3(`permanently delete version ${request.versionId} of ${request.key}`, () =>
      deleteVersionPermanently(
        client,
        { bucket: request.bucket, key: request.key, versionId: request.versionId },
        { audit },
      ),
    );
    return null;
  }

  async auditLog(): Promise<AuditEntryView[]> {
    const entries = await this.audit.entries();
    return entries.slice(-AUDIT_VIEW_LIMIT).reverse();
  }

  async exportAuditLog({ format }: { format: AuditExportFormat }): Promise<{
    savedTo: string | null;
  }> {
    const day = new Date().toISOString().slice(0, 10);
    const target = await this.deps.pickSaveFile(`bucketdrop-audit-${day}.${format}`);
    if (!target) return { savedTo: null };
    const text = format === 'csv' ? await this.audit.exportCsv() : await this.audit.exportJson();
    try {
      await writeFile(target, text, 'utf8');
    } catch (error) {
      throw new UserFacingError(
        `Could not write the audit log to ${target}: ${(error as Error).message}`,
      );
    }
    return { savedTo: target };
  }

  private async runPlan(job: PlanJob): Promise<void> {
    const { progress } = job;
    const rows = this.queueRows(job);
    try {
      const client = await this.deps.clients.clientFor(job.connectionId, job.bucket);
      const audit = await this.auditContext(job.connectionId);
      for (let start = 0; start < job.plan.actions.length; start += APPLY_CHUNK) {
        const actions = job.plan.actions.slice(start, start + APPLY_CHUNK);
        this.deps.steps?.running(actions.map((action) => rows.get(action)!));
        const results = await applyPointInTimePlan(
          client,
          job.bucket,
          { ...job.plan, actions },
          { audit },
        );
        for (const result of results) {
          this.deps.steps?.finish(rows.get(result.action)!, result);
          progress.results.push({
            key: result.action.key,
            kind: result.action.kind,
            ok: result.ok,
            detail: result.detail,
          });
        }
        progress.done += actions.length;
      }
    } catch (error) {
      // Only reaching the store can fail here (each action reports its own failure).
      for (const action of job.plan.actions.slice(progress.done)) {
        this.deps.steps?.finish(rows.get(action)!, { ok: false, detail: describeS3Error(error) });
        progress.results.push({
          key: action.key,
          kind: action.kind,
          ok: false,
          detail: describeS3Error(error),
        });
      }
      progress.done = progress.total;
    }
    progress.finished = true;
  }

  /** Puts the plan's actions in the shared queue; each action finds its row by identity. */
  private queueRows(job: PlanJob): Map<PlanAction, string> {
    const rows = new Map<PlanAction, string>();
    const { steps } = this.deps;
    if (!steps) return rows;
    const ids = steps.addPlan(
      job.bucket,
      job.plan.at.toISOString(),
      job.plan.actions.map((action, index) => ({
        key: action.key,
        kind: action.kind,
        size: job.sizes[index] ?? 0,
      })),
    );
    job.plan.actions.forEach((action, index) => rows.set(action, ids[index]!));
    return rows;
  }

  private forgetOldPlans(): void {
    // Maps iterate in insertion order: the first entries are the oldest plans.
    for (const [planId, job] of this.plans) {
      if (this.plans.size < PLANS_KEPT) break;
      if (!job.started || job.progress.finished) this.plans.delete(planId);
    }
  }

  private job(planId: string): PlanJob {
    const job = this.plans.get(planId);
    if (!job) throw new UserFacingError('That restore plan is gone: compute the plan again.');
    return job;
  }

  private activeConnectionId(): string | undefined {
    return this.deps.settings.get().activeConnectionId ?? undefined;
  }

  private client(bucket: string): Promise<S3Client> {
    return this.deps.clients.clientFor(this.activeConnectionId(), bucket);
  }

  private async auditContext(connectionId: string | undefined): Promise<AuditContext> {
    return { log: this.audit, profile: await this.deps.profileName(connectionId) };
  }

  private async acting(bucket: string): Promise<{ client: S3Client; audit: AuditContext }> {
    const connectionId = this.activeConnectionId();
    const [client, audit] = await Promise.all([
      this.deps.clients.clientFor(connectionId, bucket),
      this.auditContext(connectionId),
    ]);
    return { client, audit };
  }

  /** Runs an S3 call and names what it was doing when it fails. */
  private async s3<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof UserFacingError) throw error;
      throw new UserFacingError(`Could not ${what}: ${describeS3Error(error)}`);
    }
  }
}
