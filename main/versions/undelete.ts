/**
 * Undelete: bring a key back whose latest entry is a delete marker. Removing the marker is the
 * clean way (no new version), but some stores refuse it or, like Swift 2.30's s3api, accept it
 * without making the previous version current again. So the outcome is checked with a HEAD and,
 * failing that, the newest real version is copied back on top; the result says which happened.
 */
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeS3Error, httpStatusOf } from '../transfer/errors';
import type { AuditContext } from './audit';
import { newestRealVersion } from './history';
import { restoreVersion, type RestoreOptions } from './restore';

export type UndeleteStrategy = 'removed-delete-marker' | 'copied-previous-version';

export interface UndeleteResult {
  key: string;
  strategy: UndeleteStrategy;
  /** The version whose content is back as the latest. */
  restoredVersionId: string;
  /** Delete markers that were removed (with the fallback, possibly some of them or none). */
  removedMarkers: string[];
  /** Version id of the copy made by the fallback. */
  newVersionId?: string;
  /** Why marker removal was not enough, when the fallback ran. */
  fallbackReason?: string;
}

export class NotDeletedError extends Error {
  constructor(key: string) {
    super(`${key} is not deleted: its latest version is not a delete marker`);
    this.name = 'NotDeletedError';
  }
}

export class NothingToUndeleteError extends Error {
  constructor(key: string) {
    super(`${key} has no earlier version to bring back`);
    this.name = 'NothingToUndeleteError';
  }
}

/** Whether HEAD of the key now shows the expected version (by id, or by ETag if ids are absent). */
async function showsVersion(
  client: S3Client,
  bucket: string,
  key: string,
  expected: { versionId: string; etag?: string },
): Promise<boolean> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (head.VersionId) return head.VersionId === expected.versionId;
    return expected.etag !== undefined && head.ETag === expected.etag;
  } catch (error) {
    if (httpStatusOf(error) === 404) return false;
    throw error;
  }
}

export async function undelete(
  client: S3Client,
  bucket: string,
  key: string,
  options: Omit<RestoreOptions, 'audit'> & { audit?: AuditContext } = {},
): Promise<UndeleteResult> {
  const { above, version } = await newestRealVersion(client, bucket, key);
  if (above.length === 0) throw new NotDeletedError(key);
  if (!version) throw new NothingToUndeleteError(key);
  const latestMarker = above[0]!.versionId;

  // Markers stacked by repeated deletes all sit above the version: remove them newest first.
  const removedMarkers: string[] = [];
  let fallbackReason: string | undefined;
  try {
    for (const marker of above) {
      await client.send(
        new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: marker.versionId }),
      );
      removedMarkers.push(marker.versionId);
    }
    if (!(await showsVersion(client, bucket, key, version))) {
      fallbackReason = `removing the delete marker did not bring back version ${version.versionId}`;
    }
  } catch (error) {
    fallbackReason = `the store refused to remove the delete marker: ${describeS3Error(error)}`;
  }

  if (fallbackReason === undefined) {
    await options.audit?.log.record({
      operation: 'undelete',
      profile: options.audit.profile,
      bucket,
      key,
      fromVersion: latestMarker,
      toVersion: version.versionId,
      result: 'ok',
      detail: `removed-delete-marker (${removedMarkers.join(' ')})`,
    });
    return {
      key,
      strategy: 'removed-delete-marker',
      restoredVersionId: version.versionId,
      removedMarkers,
    };
  }

  try {
    // The copy is recorded here as the undelete it is, not as a separate restore.
    const { audit: _audit, ...restoreOptions } = options;
    const copied = await restoreVersion(
      client,
      { bucket, key, versionId: version.versionId },
      restoreOptions,
    );
    await options.audit?.log.record({
      operation: 'undelete',
      profile: options.audit.profile,
      bucket,
      key,
      fromVersion: latestMarker,
      ...(copied.newVersionId !== undefined && { toVersion: copied.newVersionId }),
      result: 'ok',
      detail: `copied-previous-version ${version.versionId} (${fallbackReason})`,
    });
    return {
      key,
      strategy: 'copied-previous-version',
      restoredVersionId: version.versionId,
      removedMarkers,
      ...(copied.newVersionId !== undefined && { newVersionId: copied.newVersionId }),
      fallbackReason,
    };
  } catch (error) {
    await options.audit?.log.record({
      operation: 'undelete',
      profile: options.audit.profile,
      bucket,
      key,
      fromVersion: latestMarker,
      result: 'failed',
      detail: `${fallbackReason}; copying version ${version.versionId} failed: ${describeS3Error(error)}`,
    });
    throw error;
  }
}
