/**
 * Restoring a version = copying it on top of its key inside the store. Nothing is downloaded:
 * server-side copies are fast, cost no egress, and keep content type and user metadata.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCopyCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describeS3Error, httpStatusOf } from '../transfer/errors';
import type { AuditContext } from './audit';

/** S3's limit for a single CopyObject; larger objects must be copied part by part. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
const DEFAULT_PART_SIZE = 512 * 1024 ** 2;
const MIN_PART_SIZE = 5 * 1024 ** 2;
const MAX_PARTS = 10_000;

export interface VersionRef {
  bucket: string;
  key: string;
  versionId: string;
}

export interface RestoreOptions {
  /** Objects above this size use multipart UploadPartCopy (tests lower it; S3's cap is 5 GiB). */
  multipartThreshold?: number;
  partSize?: number;
  /** Part copies in flight at once. */
  concurrency?: number;
  audit?: AuditContext;
  abortSignal?: AbortSignal;
}

export interface RestoreResult {
  key: string;
  /** The version whose content is now the latest. */
  sourceVersionId: string;
  /** The version that was latest before (absent if the key was deleted or never existed). */
  previousVersionId?: string;
  /** The copy's version id; absent when the store does not report it and a HEAD could not tell. */
  newVersionId?: string;
  method: 'copy' | 'multipart-copy';
  size: number;
}

/** CopySource wants the key URL-encoded (slashes kept) and the version as a query parameter. */
export function copySource(ref: VersionRef): string {
  const key = ref.key.split('/').map(encodeURIComponent).join('/');
  return `${ref.bucket}/${key}?versionId=${encodeURIComponent(ref.versionId)}`;
}

/** The current latest version id, or undefined when the key is deleted or absent. */
export async function currentVersionId(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<string | undefined> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.VersionId;
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined;
    throw error;
  }
}

async function inPool<T>(items: T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function partSizeFor(size: number, wanted: number): number {
  // Parts must be >= 5 MiB (except the last) and at most 10,000 of them.
  return Math.max(MIN_PART_SIZE, wanted, Math.ceil(size / MAX_PARTS));
}

async function multipartCopy(
  client: S3Client,
  ref: VersionRef,
  head: HeadObjectCommandOutput,
  size: number,
  options: RestoreOptions,
): Promise<string | undefined> {
  const signal = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  // Unlike CopyObject, a multipart upload starts blank: carry the headers over by hand.
  const created = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: ref.bucket,
      Key: ref.key,
      ...(head.ContentType && { ContentType: head.ContentType }),
      ...(head.CacheControl && { CacheControl: head.CacheControl }),
      ...(head.ContentDisposition && { ContentDisposition: head.ContentDisposition }),
      ...(head.ContentEncoding && { ContentEncoding: head.ContentEncoding }),
      ...(head.ContentLanguage && { ContentLanguage: head.ContentLanguage }),
      ...(head.Metadata && { Metadata: head.Metadata }),
    }),
    signal,
  );
  const uploadId = created.UploadId!;
  const partSize = partSizeFor(size, options.partSize ?? DEFAULT_PART_SIZE);
  const parts: { PartNumber: number; ETag: string }[] = [];
  const numbers = Array.from({ length: Math.ceil(size / partSize) }, (_, i) => i + 1);
  try {
    await inPool(numbers, options.concurrency ?? 4, async (partNumber) => {
      const start = (partNumber - 1) * partSize;
      const end = Math.min(size, start + partSize) - 1;
      const copied = await client.send(
        new UploadPartCopyCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          UploadId: uploadId,
          PartNumber: partNumber,
          CopySource: copySource(ref),
          CopySourceRange: `bytes=${start}-${end}`,
        }),
        signal,
      );
      parts.push({ PartNumber: partNumber, ETag: copied.CopyPartResult!.ETag! });
    });
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
      signal,
    );
    // Swift's CompleteMultipartUpload reports no VersionId; ask for the latest instead.
    return done.VersionId ?? (await currentVersionId(client, ref.bucket, ref.key));
  } catch (error) {
    // An abandoned upload keeps its copied parts (and their storage cost) until aborted.
    await client
      .send(
        new AbortMultipartUploadCommand({ Bucket: ref.bucket, Key: ref.key, UploadId: uploadId }),
      )
      .catch(() => {});
    throw error;
  }
}

/**
 * What the listing already says about the version being restored. With it, a restore is one
 * CopyObject: no HEAD of the key or of the version.
 */
export interface ListedVersion {
  etag: string;
  size: number;
  /** The key's latest version before the restore, for the audit log (absent when deleted). */
  previousVersionId?: string;
}

/** The copy's source no longer has the ETag the listing showed: nothing was overwritten. */
export class SourceChangedError extends Error {
  constructor(ref: VersionRef, etag: string) {
    super(
      `${ref.key}: version ${ref.versionId} no longer has the ETag ${etag} seen when listing (it changed since), so nothing was overwritten; plan again`,
    );
    this.name = 'SourceChangedError';
  }
}

/**
 * The "null" version is the only one that changes in place (a PUT while versioning is
 * suspended). The copy's if-match guards it where the store honours that header; Ceph RGW 16
 * ignores it on a copy from a version, so that version's ETag is checked first (one HEAD, for
 * "null" versions only).
 */
const NULL_VERSION = 'null';

async function assertUnchanged(
  client: S3Client,
  ref: VersionRef,
  etag: string,
  options: RestoreOptions,
): Promise<void> {
  const head = await client.send(
    new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }),
    options.abortSignal ? { abortSignal: options.abortSignal } : {},
  );
  if (head.ETag !== etag) throw new SourceChangedError(ref, etag);
}

async function copyWhole(
  client: S3Client,
  ref: VersionRef,
  etag: string | undefined,
  options: RestoreOptions,
): Promise<string | undefined> {
  try {
    const copied = await client.send(
      new CopyObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        CopySource: copySource(ref),
        // The version listed (or read) is the one copied, or nothing is: a source replaced in
        // the meantime (a "null" version overwritten) fails with 412 instead of being restored.
        ...(etag !== undefined && { CopySourceIfMatch: etag }),
        // Keep the version's own content type and metadata, not new ones.
        MetadataDirective: 'COPY',
      }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return copied.VersionId;
  } catch (error) {
    if (httpStatusOf(error) === 412 && etag !== undefined) {
      throw new SourceChangedError(ref, etag);
    }
    throw error;
  }
}

/**
 * Makes `ref.versionId` the latest version of its key again, by a server-side copy. Given what
 * the listing showed (`listed`), that is a single request; otherwise the key and the version are
 * read first.
 */
export async function restoreVersion(
  client: S3Client,
  ref: VersionRef,
  options: RestoreOptions = {},
  listed?: ListedVersion,
): Promise<RestoreResult> {
  let previousVersionId = listed?.previousVersionId;
  try {
    const threshold = options.multipartThreshold ?? MAX_SINGLE_COPY_BYTES;
    let size: number;
    let newVersionId: string | undefined;
    let method: RestoreResult['method'];
    if (listed && listed.size <= threshold) {
      size = listed.size;
      method = 'copy';
      if (ref.versionId === NULL_VERSION) await assertUnchanged(client, ref, listed.etag, options);
      newVersionId = await copyWhole(client, ref, listed.etag, options);
    } else {
      if (!listed) previousVersionId = await currentVersionId(client, ref.bucket, ref.key);
      const head = await client.send(
        new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }),
        options.abortSignal ? { abortSignal: options.abortSignal } : {},
      );
      size = head.ContentLength ?? 0;
      if (size > threshold) {
        method = 'multipart-copy';
        newVersionId = await multipartCopy(client, ref, head, size, options);
      } else {
        method = 'copy';
        newVersionId = await copyWhole(client, ref, head.ETag, options);
      }
      // Ceph RGW 16's CopyObject reports no VersionId. A single restore asks for the latest
      // instead; a bulk one (listed) keeps to one request per key and records none.
      newVersionId ??= await currentVersionId(client, ref.bucket, ref.key);
    }
    const result: RestoreResult = {
      key: ref.key,
      sourceVersionId: ref.versionId,
      ...(previousVersionId !== undefined && { previousVersionId }),
      ...(newVersionId !== undefined && { newVersionId }),
      method,
      size,
    };
    await options.audit?.log.record({
      operation: 'restore',
      profile: options.audit.profile,
      ...(options.audit.job !== undefined && { job: options.audit.job }),
      bucket: ref.bucket,
      key: ref.key,
      ...(previousVersionId !== undefined && { fromVersion: previousVersionId }),
      ...(newVersionId !== undefined && { toVersion: newVersionId }),
      result: 'ok',
      detail: `${method} of version ${ref.versionId}`,
    });
    return result;
  } catch (error) {
    await options.audit?.log.record({
      operation: 'restore',
      profile: options.audit.profile,
      ...(options.audit.job !== undefined && { job: options.audit.job }),
      bucket: ref.bucket,
      key: ref.key,
      ...(previousVersionId !== undefined && { fromVersion: previousVersionId }),
      result: 'failed',
      detail: `version ${ref.versionId}: ${describeS3Error(error)}`,
    });
    throw error;
  }
}
