/**
 * Carrying out a point-in-time plan: one request per key (a CopyObject from the listed version
 * with its ETag as precondition, a marker removal, or a delete), `keyConcurrency` keys at a time,
 * each result reported as it comes. With a journal folder the run is resumable (restoreJob.ts).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { RESTORE_CONCURRENCY } from '../../preload/contract';
import { describeS3Error } from '../transfer/errors';
import type { AuditContext } from './audit';
import { deleteKey } from './delete';
import { planPrefix, type PlanAction, type PlanOptions, type PointInTimePlan } from './pointInTime';
import { restoreVersion, type RestoreOptions } from './restore';
import { RestoreJournal } from './restoreJob';
import { Undeleter } from './undelete';

/** Keys worked on at once unless the caller (a setting, `--concurrency`) says otherwise. */
export const DEFAULT_RESTORE_CONCURRENCY = RESTORE_CONCURRENCY.default;
/** The most a user may set: beyond this a store only answers SlowDown. */
export const MAX_RESTORE_CONCURRENCY = RESTORE_CONCURRENCY.max;

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
  onStart?: (action: PlanAction) => void;
  onResult?: (result: ActionResult) => void;
  /** Written before each key's request goes out, for a rerun after a crash. */
  journal?: RestoreJournal;
}

async function applyOne(
  client: S3Client,
  bucket: string,
  action: PlanAction,
  undeleter: Undeleter,
  options: ApplyOptions,
): Promise<string> {
  if (action.kind === 'delete') {
    await deleteKey(client, bucket, action.key, {
      ...(options.audit && { audit: options.audit }),
      previousVersionId: action.currentVersionId,
    });
    return 'delete marker added';
  }
  if (action.kind === 'undelete' && action.deleted) {
    return (await undeleter.undelete(action.deleted)).strategy;
  }
  // A restore, or an undelete to an older version than the newest: only a copy brings it back.
  const r = await restoreVersion(
    client,
    { bucket, key: action.key, versionId: action.versionId },
    options,
    {
      etag: action.etag,
      size: action.size,
      ...(action.kind === 'restore' && { previousVersionId: action.currentVersionId }),
    },
  );
  return `${r.method} of version ${action.versionId}`;
}

/** Carries out a plan; one key failing does not stop the others, and each is reported. */
export async function applyPointInTimePlan(
  client: S3Client,
  bucket: string,
  plan: PointInTimePlan,
  options: ApplyOptions = {},
): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  const undeleter = new Undeleter(client, bucket, options);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.actions.length) {
      const action = plan.actions[next++]!;
      let result: ActionResult;
      try {
        await options.journal?.starting(action);
        options.onStart?.(action);
        const detail = await applyOne(client, bucket, action, undeleter, options);
        result = { action, ok: true, detail };
      } catch (error) {
        result = { action, ok: false, detail: describeS3Error(error) };
      }
      results.push(result);
      options.onResult?.(result);
    }
  };
  const concurrency = options.keyConcurrency ?? DEFAULT_RESTORE_CONCURRENCY;
  const workers = Math.max(1, Math.min(concurrency, plan.actions.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

export interface RestorePrefixOptions extends ApplyOptions, PlanOptions {
  /** Only compute and return the plan. */
  dryRun?: boolean;
  pageSize?: number;
  /** Called once the plan is known, before anything is applied. */
  onPlan?: (plan: PointInTimePlan) => void;
  /** Folder of resumable jobs' journals; without it a crashed run is replanned all the same. */
  journalDir?: string;
  /** Names the store in the job's identity (endpoint or profile). */
  store?: string;
}

export interface RestorePrefixResult {
  plan: PointInTimePlan;
  results: ActionResult[];
  /** Keys an interrupted earlier run had changed, recorded in the audit log by this run. */
  recordedFromInterruptedRun: number;
}

/** Lists the prefix's versions, plans, and (unless dry run) applies. */
export async function restorePrefixToTime(
  client: S3Client,
  bucket: string,
  prefix: string,
  at: Date,
  options: RestorePrefixOptions = {},
): Promise<RestorePrefixResult> {
  const plan = await planPrefix(client, bucket, prefix, at, {
    ...(options.deleteCreatedSince !== undefined && {
      deleteCreatedSince: options.deleteCreatedSince,
    }),
    ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
    ...(options.abortSignal && { abortSignal: options.abortSignal }),
  });
  options.onPlan?.(plan);
  if (options.dryRun) return { plan, results: [], recordedFromInterruptedRun: 0 };
  if (!options.journalDir) {
    const results = await applyPointInTimePlan(client, bucket, plan, options);
    return { plan, results, recordedFromInterruptedRun: 0 };
  }
  const journal = await RestoreJournal.open(options.journalDir, {
    store: options.store ?? '',
    bucket,
    prefix,
    at,
    deleteCreatedSince: Boolean(options.deleteCreatedSince),
  });
  let results: ActionResult[] = [];
  try {
    const audit = options.audit && { ...options.audit, job: journal.id };
    const recordedFromInterruptedRun = await journal.recordInterrupted(plan, audit);
    results = await applyPointInTimePlan(client, bucket, plan, {
      ...options,
      ...(audit && { audit }),
      journal,
    });
    return { plan, results, recordedFromInterruptedRun };
  } finally {
    await journal.close(results.length === plan.actions.length && results.every((r) => r.ok));
  }
}
