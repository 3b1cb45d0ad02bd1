/**
 * Restore a prefix to how it was at a moment T. Planning is pure (versions + T -> diff) so the
 * dry run shows exactly what applying would do; applying acts only on keys whose current content
 * differs from their state at T, which makes a second run a no-op.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { describeS3Error } from '../transfer/errors';
import type { AuditContext } from './audit';
import { deleteKey } from './delete';
import { compareEntries, listAllVersions, type VersionEntry } from './history';
import { restoreVersion, type RestoreOptions } from './restore';
import { undelete } from './undelete';

export type PlanAction =
  /** The key exists but with other content than at T: copy T's version on top. */
  | { kind: 'restore'; key: string; versionId: string; currentVersionId: string }
  /**
   * The key is deleted now but existed at T. `removeMarker` when T's version is the newest real
   * one (marker removal can bring it back); otherwise T's version is copied on top.
   */
  | { kind: 'undelete'; key: string; versionId: string; removeMarker: boolean }
  /** The key was created after T (or deleted before T and recreated): delete it (a marker). */
  | { kind: 'delete'; key: string; currentVersionId: string };

export interface PointInTimePlan {
  at: Date;
  actions: PlanAction[];
  /** Keys that did not exist at T but do now; deleted only with `deleteCreatedSince`. */
  createdSince: string[];
  /** Keys whose current content already matches T. */
  unchanged: number;
}

export interface PlanOptions {
  /** Delete keys that did not exist at T. Off by default: new work is easy to lose silently. */
  deleteCreatedSince?: boolean;
}

/** Same bytes without comparing them: same version, or (after an earlier restore) same ETag+size. */
function sameContent(a: VersionEntry, b: VersionEntry): boolean {
  if (a.versionId === b.versionId) return true;
  return a.etag !== undefined && a.etag === b.etag && a.size === b.size;
}

/**
 * `entries` are the versions and delete markers under the prefix (any order). LastModified is
 * the only clock S3 gives; an entry counts as existing at T when LastModified <= T. Stores report
 * whole seconds (Swift rounds up), so T should be chosen with a second's margin from edits.
 */
export function planPointInTime(
  entries: readonly VersionEntry[],
  at: Date,
  options: PlanOptions = {},
): PointInTimePlan {
  const byKey = new Map<string, VersionEntry[]>();
  for (const entry of [...entries].sort(compareEntries)) {
    const list = byKey.get(entry.key);
    if (list) list.push(entry);
    else byKey.set(entry.key, [entry]);
  }
  const actions: PlanAction[] = [];
  const createdSince: string[] = [];
  let unchanged = 0;
  for (const [key, history] of byKey) {
    // Newest first: the first entry is the current state, the first at-or-before T is T's state.
    const current = history[0]!;
    const then = history.find((entry) => entry.lastModified.getTime() <= at.getTime());
    const existedThen = then !== undefined && !then.isDeleteMarker;
    const existsNow = !current.isDeleteMarker;
    if (!existedThen) {
      if (!existsNow) unchanged++;
      else {
        createdSince.push(key);
        if (options.deleteCreatedSince) {
          actions.push({ kind: 'delete', key, currentVersionId: current.versionId });
        }
      }
      continue;
    }
    if (existsNow) {
      if (sameContent(current, then)) unchanged++;
      else
        actions.push({
          kind: 'restore',
          key,
          versionId: then.versionId,
          currentVersionId: current.versionId,
        });
      continue;
    }
    const newestReal = history.find((entry) => !entry.isDeleteMarker);
    actions.push({
      kind: 'undelete',
      key,
      versionId: then.versionId,
      removeMarker: newestReal?.versionId === then.versionId,
    });
  }
  return { at, actions, createdSince, unchanged };
}

export interface ActionResult {
  action: PlanAction;
  ok: boolean;
  /** What was done (e.g. the undelete strategy) or why it failed. */
  detail: string;
}

export interface ApplyOptions extends Omit<RestoreOptions, 'audit'> {
  audit?: AuditContext;
  /** Keys worked on at once. */
  keyConcurrency?: number;
}

/** Carries out a plan; one key failing does not stop the others, and each is reported. */
export async function applyPointInTimePlan(
  client: S3Client,
  bucket: string,
  plan: PointInTimePlan,
  options: ApplyOptions = {},
): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  let next = 0;
  const run = async (action: PlanAction): Promise<ActionResult> => {
    switch (action.kind) {
      case 'restore': {
        const r = await restoreVersion(
          client,
          { bucket, key: action.key, versionId: action.versionId },
          options,
        );
        return { action, ok: true, detail: `${r.method} of version ${action.versionId}` };
      }
      case 'undelete': {
        if (action.removeMarker) {
          const r = await undelete(client, bucket, action.key, options);
          return { action, ok: true, detail: r.strategy };
        }
        // T's version is older than the newest one: only a copy brings it back.
        const r = await restoreVersion(
          client,
          { bucket, key: action.key, versionId: action.versionId },
          options,
        );
        return { action, ok: true, detail: `${r.method} of version ${action.versionId}` };
      }
      case 'delete':
        await deleteKey(client, bucket, action.key, options);
        return { action, ok: true, detail: 'delete marker added' };
    }
  };
  const worker = async (): Promise<void> => {
    while (next < plan.actions.length) {
      const action = plan.actions[next++]!;
      try {
        results.push(await run(action));
      } catch (error) {
        results.push({ action, ok: false, detail: describeS3Error(error) });
      }
    }
  };
  const workers = Math.max(1, Math.min(options.keyConcurrency ?? 8, plan.actions.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

export interface RestorePrefixOptions extends ApplyOptions, PlanOptions {
  /** Only compute and return the plan. */
  dryRun?: boolean;
  pageSize?: number;
}

/** Lists the prefix's versions, plans, and (unless dry run) applies. */
export async function restorePrefixToTime(
  client: S3Client,
  bucket: string,
  prefix: string,
  at: Date,
  options: RestorePrefixOptions = {},
): Promise<{ plan: PointInTimePlan; results: ActionResult[] }> {
  const entries = await listAllVersions(client, bucket, prefix, {
    ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
    ...(options.abortSignal && { abortSignal: options.abortSignal }),
  });
  const plan = planPointInTime(entries, at, options);
  if (options.dryRun) return { plan, results: [] };
  return { plan, results: await applyPointInTimePlan(client, bucket, plan, options) };
}
