/**
 * Restore a prefix to how it was at a moment T: planning. Planning is pure (versions + T -> diff)
 * so the dry run shows exactly what applying (applyPlan.ts) would do; applying acts only on keys
 * whose current content differs from their state at T, which makes a second run a no-op.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { compareEntries, keyHistories, type VersionEntry } from './history';
import { deletedKeyOf, type DeletedKey } from './undelete';

/** What the listing showed of the version to bring back, so that applying needs no HEAD. */
interface ListedSource {
  versionId: string;
  etag: string;
  size: number;
}

export type PlanAction =
  /** The key exists but with other content than at T: copy T's version on top. */
  | ({ kind: 'restore'; key: string; currentVersionId: string } & ListedSource)
  /**
   * The key is deleted now but existed at T. `deleted` when T's version is the newest real one
   * (undelete, by marker removal where the store allows it); otherwise T's version is copied.
   */
  | ({ kind: 'undelete'; key: string; deleted?: DeletedKey } & ListedSource)
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

function listedSource(entry: VersionEntry): ListedSource {
  return { versionId: entry.versionId, etag: entry.etag ?? '*', size: entry.size ?? 0 };
}

type KeyPlan =
  | { kind: 'unchanged' }
  | { kind: 'created-since'; action?: PlanAction }
  | { kind: 'change'; action: PlanAction };

/**
 * One key's plan from its whole history, newest first. LastModified is the only clock S3 gives;
 * an entry counts as existing at T when LastModified <= T. Stores report whole seconds (Swift
 * rounds up), so T should be chosen with a second's margin from edits.
 */
export function planKey(
  key: string,
  history: readonly VersionEntry[],
  at: Date,
  options: PlanOptions = {},
): KeyPlan {
  const current = history[0]!;
  const then = history.find((entry) => entry.lastModified.getTime() <= at.getTime());
  const existedThen = then !== undefined && !then.isDeleteMarker;
  const existsNow = !current.isDeleteMarker;
  if (!existedThen) {
    if (!existsNow) return { kind: 'unchanged' };
    return options.deleteCreatedSince
      ? {
          kind: 'created-since',
          action: { kind: 'delete', key, currentVersionId: current.versionId },
        }
      : { kind: 'created-since' };
  }
  if (existsNow) {
    if (sameContent(current, then)) return { kind: 'unchanged' };
    return {
      kind: 'change',
      action: { kind: 'restore', key, currentVersionId: current.versionId, ...listedSource(then) },
    };
  }
  const deleted = deletedKeyOf(key, history);
  const removable = deleted?.version?.versionId === then.versionId;
  return {
    kind: 'change',
    action: { kind: 'undelete', key, ...listedSource(then), ...(removable && { deleted }) },
  };
}

/** Adds one key's plan to a plan being built. */
function addKeyPlan(plan: PointInTimePlan, key: string, keyPlan: KeyPlan): void {
  if (keyPlan.kind === 'unchanged') plan.unchanged++;
  else if (keyPlan.kind === 'change') plan.actions.push(keyPlan.action);
  else {
    plan.createdSince.push(key);
    if (keyPlan.action) plan.actions.push(keyPlan.action);
  }
}

/** `entries` are the versions and delete markers under the prefix (any order). */
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
  const plan: PointInTimePlan = { at, actions: [], createdSince: [], unchanged: 0 };
  for (const [key, history] of byKey) addKeyPlan(plan, key, planKey(key, history, at, options));
  return plan;
}

/** Lists the prefix one page at a time and plans each key as its history is complete. */
export async function planPrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
  at: Date,
  options: PlanOptions & { pageSize?: number; abortSignal?: AbortSignal } = {},
): Promise<PointInTimePlan> {
  const plan: PointInTimePlan = { at, actions: [], createdSince: [], unchanged: 0 };
  for await (const { key, entries } of keyHistories(client, bucket, prefix, options)) {
    addKeyPlan(plan, key, planKey(key, entries, at, options));
  }
  return plan;
}
