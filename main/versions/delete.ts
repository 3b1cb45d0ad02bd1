/**
 * The two kinds of deletion in a versioned bucket: an ordinary delete only stacks a delete marker
 * on the key (undoable), a delete with a VersionId destroys that one version for good.
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeS3Error } from '../transfer/errors';
import type { AuditContext } from './audit';
import { currentVersionId, type VersionRef } from './restore';

export interface DeleteResult {
  key: string;
  previousVersionId?: string;
  /** The new delete marker's id, when the store reports it. */
  deleteMarkerVersionId?: string;
}

/** Hides a key behind a delete marker; every version stays and can be restored. */
export async function deleteKey(
  client: S3Client,
  bucket: string,
  key: string,
  options: {
    audit?: AuditContext;
    /** The latest version as listed (a plan knows it): then no HEAD is needed. */
    previousVersionId?: string;
  } = {},
): Promise<DeleteResult> {
  let previousVersionId = options.previousVersionId;
  try {
    previousVersionId ??= await currentVersionId(client, bucket, key);
    const response = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    const marker = response.VersionId;
    await options.audit?.log.record({
      operation: 'delete',
      profile: options.audit.profile,
      ...(options.audit.job !== undefined && { job: options.audit.job }),
      bucket,
      key,
      ...(previousVersionId !== undefined && { fromVersion: previousVersionId }),
      ...(marker !== undefined && { toVersion: marker }),
      result: 'ok',
      detail: 'delete marker added',
    });
    return {
      key,
      ...(previousVersionId !== undefined && { previousVersionId }),
      ...(marker !== undefined && { deleteMarkerVersionId: marker }),
    };
  } catch (error) {
    await options.audit?.log.record({
      operation: 'delete',
      profile: options.audit.profile,
      ...(options.audit.job !== undefined && { job: options.audit.job }),
      bucket,
      key,
      ...(previousVersionId !== undefined && { fromVersion: previousVersionId }),
      result: 'failed',
      detail: describeS3Error(error),
    });
    throw error;
  }
}

/**
 * Destroys one version (or removes one delete marker) for good. Refuses an empty version id,
 * because without one S3 would quietly add a delete marker instead.
 */
export async function deleteVersionPermanently(
  client: S3Client,
  ref: VersionRef,
  options: { audit?: AuditContext } = {},
): Promise<void> {
  if (!ref.versionId) throw new Error('a version id is required for a permanent deletion');
  try {
    await client.send(
      new DeleteObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }),
    );
  } catch (error) {
    await options.audit?.log.record({
      operation: 'permanent-delete',
      profile: options.audit.profile,
      bucket: ref.bucket,
      key: ref.key,
      fromVersion: ref.versionId,
      result: 'failed',
      detail: describeS3Error(error),
    });
    throw error;
  }
  await options.audit?.log.record({
    operation: 'permanent-delete',
    profile: options.audit.profile,
    bucket: ref.bucket,
    key: ref.key,
    fromVersion: ref.versionId,
    result: 'ok',
  });
}
