/**
 * Undelete: bring keys back whose latest entry is a delete marker. The one implementation behind
 * the app's undelete (a key, a selection, a folder), the command line's `undelete` and the
 * undelete steps of a point-in-time restore.
 *
 * Removing the markers is the clean way (no new version), but some stores refuse it or accept it
 * without making the previous version current again. So the first key of a run is checked with
 * a HEAD after its markers are removed; if that worked, the other keys of the run get their
 * markers removed without a check (one request per key), otherwise the newest real version is
 * copied on top for every key (one request per key too). Each result says which was done.
 */
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeS3Error, httpStatusOf } from '../transfer/errors';
import type { AuditContext } from './audit';
import { keyHistories, newestRealVersion, type VersionEntry } from './history';
import { restoreVersion, type RestoreOptions } from './restore';

export type UndeleteStrategy = 'removed-delete-marker' | 'copied-previous-version';

/** A key whose latest entry is a delete marker, as the listing showed it. */
export interface DeletedKey {
  key: string;
  /** The markers above the newest real version, newest first (repeated deletes stack them). */
  markers: VersionEntry[];
  /** The newest real version; absent when the key never had one to bring back. */
  version?: VersionEntry;
}

export interface UndeleteResult {
  key: string;
  strategy: UndeleteStrategy;
  /** The version whose content is back as the latest. */
  restoredVersionId: string;
  /** Delete markers that were removed (with the fallback, possibly some of them or none). */
  removedMarkers: string[];
  /** Version id of the copy made by the fallback. */
  newVersionId?: string;
  /** Why marker removal was not used or not enough, when the fallback ran. */
  fallbackReason?: string;
}

export type UndeleteOptions = Omit<RestoreOptions, 'audit'> & { audit?: AuditContext };

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

/** The deleted state of one key's history (newest first), or undefined when it is not deleted. */
export function deletedKeyOf(
  key: string,
  history: readonly VersionEntry[],
): DeletedKey | undefined {
  if (!history[0]?.isDeleteMarker) return undefined;
  const index = history.findIndex((entry) => !entry.isDeleteMarker);
  if (index < 0) return { key, markers: [...history] };
  return { key, markers: history.slice(0, index), version: history[index]! };
}

/** One key's deleted state, read from its history as far as the newest real version. */
export async function findDeletedKey(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<DeletedKey> {
  const { above, version } = await newestRealVersion(client, bucket, key);
  if (above.length === 0) throw new NotDeletedError(key);
  return { key, markers: above, ...(version && { version }) };
}

export interface DeletedFilter {
  /** Only keys whose latest delete marker is at or after this time. */
  deletedSince?: Date;
  /** Only keys whose latest delete marker is before this time. */
  deletedBefore?: Date;
}

/** Every key under the prefix whose latest entry is a delete marker, whenever it was deleted. */
export async function* deletedKeysUnder(
  client: S3Client,
  bucket: string,
  prefix: string,
  filter: DeletedFilter = {},
  options: { pageSize?: number; abortSignal?: AbortSignal } = {},
): AsyncGenerator<DeletedKey, void, void> {
  for await (const { key, entries } of keyHistories(client, bucket, prefix, options)) {
    const deleted = deletedKeyOf(key, entries);
    if (!deleted) continue;
    const at = deleted.markers[0]!.lastModified.getTime();
    if (filter.deletedSince && at < filter.deletedSince.getTime()) continue;
    if (filter.deletedBefore && at >= filter.deletedBefore.getTime()) continue;
    yield deleted;
  }
}

/** Whether HEAD of the key now shows the expected version (by id, or by ETag if ids are absent). */
async function showsVersion(
  client: S3Client,
  bucket: string,
  key: string,
  expected: VersionEntry,
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

/**
 * Undeletes keys of one bucket, remembering across keys whether this store really brings a
 * version back when its markers are removed. Use one per run (a folder, a selection).
 */
export class Undeleter {
  /** Settled by the first key: whether marker removal works here (and why not, if it does not). */
  private learned: Promise<{ works: boolean; reason?: string }> | undefined;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly options: UndeleteOptions = {},
  ) {}

  async undelete(target: DeletedKey): Promise<UndeleteResult> {
    const { key, markers, version } = target;
    if (markers.length === 0) throw new NotDeletedError(key);
    if (!version) throw new NothingToUndeleteError(key);
    let removedMarkers: string[] = [];
    let fallbackReason: string;
    if (!this.learned) {
      // The first key finds out, the others wait for its answer rather than guess.
      let settle!: (value: { works: boolean; reason?: string }) => void;
      this.learned = new Promise((resolve) => (settle = resolve));
      const probe = await this.removeMarkers(target, true);
      removedMarkers = probe.removed;
      settle(probe.reason === undefined ? { works: true } : { works: false, reason: probe.reason });
      if (probe.reason === undefined) return this.removed(target, removedMarkers);
      fallbackReason = probe.reason;
    } else {
      const learned = await this.learned;
      if (learned.works) {
        const attempt = await this.removeMarkers(target, false);
        if (attempt.reason === undefined) return this.removed(target, attempt.removed);
        removedMarkers = attempt.removed;
        fallbackReason = attempt.reason;
      } else {
        fallbackReason = `${learned.reason} (found on an earlier key of this run)`;
      }
    }
    return this.copyBack(target, version, removedMarkers, fallbackReason);
  }

  private async removeMarkers(
    { key, markers, version }: DeletedKey,
    check: boolean,
  ): Promise<{ removed: string[]; reason?: string }> {
    const removed: string[] = [];
    try {
      for (const marker of markers) {
        await this.client.send(
          new DeleteObjectCommand({ Bucket: this.bucket, Key: key, VersionId: marker.versionId }),
          this.signal(),
        );
        removed.push(marker.versionId);
      }
      if (check && !(await showsVersion(this.client, this.bucket, key, version!))) {
        return {
          removed,
          reason: `removing the delete marker did not bring back version ${version!.versionId}`,
        };
      }
      return { removed };
    } catch (error) {
      return {
        removed,
        reason: `the store refused to remove the delete marker: ${describeS3Error(error)}`,
      };
    }
  }

  private async removed({ key, markers, version }: DeletedKey, removedMarkers: string[]) {
    await this.record(key, markers, {
      toVersion: version!.versionId,
      result: 'ok',
      detail: `removed-delete-marker (${removedMarkers.join(' ')})`,
    });
    return {
      key,
      strategy: 'removed-delete-marker' as const,
      restoredVersionId: version!.versionId,
      removedMarkers,
    };
  }

  private async copyBack(
    { key, markers }: DeletedKey,
    version: VersionEntry,
    removedMarkers: string[],
    fallbackReason: string,
  ): Promise<UndeleteResult> {
    try {
      // The copy is recorded here as the undelete it is, not as a separate restore.
      const { audit: _audit, ...restoreOptions } = this.options;
      const copied = await restoreVersion(
        this.client,
        { bucket: this.bucket, key, versionId: version.versionId },
        restoreOptions,
        version.etag !== undefined && version.size !== undefined
          ? { etag: version.etag, size: version.size }
          : undefined,
      );
      await this.record(key, markers, {
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
      await this.record(key, markers, {
        result: 'failed',
        detail: `${fallbackReason}; copying version ${version.versionId} failed: ${describeS3Error(error)}`,
      });
      throw error;
    }
  }

  private record(
    key: string,
    markers: VersionEntry[],
    outcome: { toVersion?: string; result: 'ok' | 'failed'; detail: string },
  ): Promise<void> | undefined {
    const { audit } = this.options;
    return audit?.log.record({
      operation: 'undelete',
      profile: audit.profile,
      ...(audit.job !== undefined && { job: audit.job }),
      bucket: this.bucket,
      key,
      fromVersion: markers[0]!.versionId,
      ...outcome,
    });
  }

  private signal() {
    return this.options.abortSignal ? { abortSignal: this.options.abortSignal } : {};
  }
}

/** Undeletes one key, reading its history first. */
export async function undelete(
  client: S3Client,
  bucket: string,
  key: string,
  options: UndeleteOptions = {},
): Promise<UndeleteResult> {
  const target = await findDeletedKey(client, bucket, key);
  return new Undeleter(client, bucket, options).undelete(target);
}

export interface UndeleteOutcome {
  key: string;
  ok: boolean;
  result?: UndeleteResult;
  /** Why it failed, naming the key. */
  error?: string;
}

/**
 * Undeletes many keys, `concurrency` at a time; one key failing does not stop the others. The
 * outcome of each key goes to `onOutcome` as it comes.
 */
export async function undeleteKeys(
  client: S3Client,
  bucket: string,
  targets: readonly DeletedKey[],
  options: UndeleteOptions & {
    keyConcurrency?: number;
    onOutcome?: (outcome: UndeleteOutcome) => void;
  } = {},
): Promise<UndeleteOutcome[]> {
  const undeleter = new Undeleter(client, bucket, options);
  const outcomes: UndeleteOutcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const target = targets[next++]!;
      let outcome: UndeleteOutcome;
      try {
        outcome = { key: target.key, ok: true, result: await undeleter.undelete(target) };
      } catch (error) {
        outcome = { key: target.key, ok: false, error: `${target.key}: ${describeS3Error(error)}` };
      }
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    }
  };
  const workers = Math.max(1, Math.min(options.keyConcurrency ?? 8, targets.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}
