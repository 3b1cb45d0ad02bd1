/**
 * What the window can ask of main about object versions: history, preview, links, restore,
 * undelete, point-in-time restore of a prefix, permanent deletion and the audit log. Plain Node,
 * built on main/versions; every change is recorded in the audit log under the connection's name.
 */
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
import { DEFAULT_RESTORE_CONCURRENCY } from '../versions/applyPlan';
import { listVersionsPage, type VersionEntry } from '../versions/history';
import { planPrefix } from '../versions/pointInTime';
import { restoreVersion } from '../versions/restore';
import { findDeletedKey, undeleteKeys, type DeletedKey } from '../versions/undelete';
import { PointInTimeJobs } from './pointInTimeJobs';
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

/** The version's own content type decides; the key's extension only when the type says nothing. */
function looksLikeImage(contentType: string | undefined, key: string): boolean {
  if (contentType && contentType !== 'application/octet-stream') {
    return contentType.startsWith('image/');
  }
  return /\.(jpe?g|png|gif|webp|avif|tiff?)$/i.test(key);
}

export class VersionsService {
  readonly audit: AuditLog;
  private readonly pointInTime: PointInTimeJobs;

  constructor(private readonly deps: VersionsServiceDeps) {
    this.audit = new AuditLog(path.join(deps.dataDir, 'audit'));
    this.pointInTime = new PointInTimeJobs({
      dataDir: deps.dataDir,
      clients: deps.clients,
      ...(deps.steps && { steps: deps.steps }),
      auditContext: (connectionId) => this.auditContext(connectionId),
      concurrency: () => this.restoreConcurrency(),
    });
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

  /** The same undelete as the command line's (main/versions/undelete.ts), key by key. */
  async undeleteKeys(request: { bucket: string; keys: string[] }): Promise<UndeleteKeyResult[]> {
    const { client, audit } = await this.acting(request.bucket);
    const results = new Map<string, UndeleteKeyResult>();
    const targets: DeletedKey[] = [];
    for (const key of request.keys) {
      try {
        targets.push(await findDeletedKey(client, request.bucket, key));
      } catch (error) {
        results.set(key, { key, ok: false, detail: `${key}: ${describeS3Error(error)}` });
      }
    }
    await undeleteKeys(client, request.bucket, targets, {
      audit,
      keyConcurrency: this.restoreConcurrency(),
      onOutcome: ({ key, result, error }) => {
        if (!result) {
          results.set(key, { key, ok: false, detail: error ?? key });
          return;
        }
        results.set(key, {
          key,
          ok: true,
          strategy: result.strategy,
          detail:
            result.strategy === 'removed-delete-marker'
              ? `Removed the delete marker; version ${result.restoredVersionId} is the latest again.`
              : `Copied version ${result.restoredVersionId} back on top (${result.fallbackReason}).`,
        });
      },
    });
    return request.keys.map((key) => results.get(key)!);
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
    const plan = await this.s3(`list the versions under ${request.prefix || 'the bucket'}`, () =>
      planPrefix(client, request.bucket, request.prefix, at, {
        deleteCreatedSince: request.deleteCreatedSince,
      }),
    );
    return this.pointInTime.add({
      bucket: request.bucket,
      prefix: request.prefix,
      deleteCreatedSince: request.deleteCreatedSince,
      plan,
      connectionId,
    });
  }

  /** Starts applying a planned restore and answers at once; progress is polled. */
  async applyPointInTime({ planId }: { planId: string }): Promise<PointInTimeProgress> {
    return this.pointInTime.apply(planId);
  }

  async pointInTimeProgress({ planId }: { planId: string }): Promise<PointInTimeProgress> {
    return this.pointInTime.progress(planId);
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

  private restoreConcurrency(): number {
    return this.deps.settings.get().restoreConcurrency ?? DEFAULT_RESTORE_CONCURRENCY;
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
