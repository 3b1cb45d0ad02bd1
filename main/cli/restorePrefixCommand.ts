import path from 'node:path';
import { userDataDir } from '../transfer/dataDir';
import { DEFAULT_RESTORE_CONCURRENCY, restorePrefixToTime } from '../versions/applyPlan';
import { CONNECTION_OPTIONS, parse, s3Argument } from './args';
import { UsageError } from './usage';
import {
  auditFor,
  concurrencyOption,
  print,
  StepProgress,
  storeName,
  versionsClient,
} from './versionsCli';

/** Where the command line keeps the journals of unfinished prefix restores. */
export function restoreJournalDir(): string {
  return path.join(userDataDir(), 'restore-jobs');
}

/**
 * `bucketdrop restore-prefix s3://b/prefix/ --at ISO8601 [--dry-run]`. Resumable: run it again
 * after a crash or a stop and it finishes the job without copying again what is already right.
 */
export async function restorePrefix(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_OPTIONS,
    at: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'delete-created-since': { type: 'boolean' },
    concurrency: { type: 'string' },
  });
  const at = values.at ? new Date(values.at) : null;
  if (positionals.length !== 1 || !at || Number.isNaN(at.getTime())) {
    throw new UsageError(
      'restore-prefix takes one s3://bucket/prefix/ and --at 2026-11-24T17:00:00Z',
    );
  }
  const keyConcurrency = concurrencyOption(values.concurrency, DEFAULT_RESTORE_CONCURRENCY);
  const { bucket, key: prefix } = s3Argument(positionals[0]!);
  const client = await versionsClient(values, bucket, keyConcurrency);
  const dryRun = Boolean(values['dry-run']);
  let progress: StepProgress | undefined;
  const { plan, results, recordedFromInterruptedRun } = await restorePrefixToTime(
    client,
    bucket,
    prefix,
    at,
    {
      dryRun,
      deleteCreatedSince: Boolean(values['delete-created-since']),
      audit: auditFor(values),
      keyConcurrency,
      journalDir: restoreJournalDir(),
      store: storeName(values),
      onPlan: (planned) => {
        print(
          values.json,
          {
            type: 'plan',
            changes: planned.actions.length,
            unchanged: planned.unchanged,
            createdSince: planned.createdSince.length,
          },
          `${planned.actions.length} changes planned, ${planned.unchanged} keys already as at ${at.toISOString()}`,
        );
        if (dryRun) {
          for (const action of planned.actions) {
            print(
              values.json,
              { type: 'planned', kind: action.kind, key: action.key },
              `${action.kind.padEnd(8)} ${action.key}`,
            );
          }
        }
        progress = new StepProgress(planned.actions.length, values.json, 'applied');
      },
      onResult: (result) => progress?.step(result.ok),
    },
  );
  if (!values['delete-created-since']) {
    for (const key of plan.createdSince) {
      print(
        values.json,
        { type: 'kept', key },
        `kept     ${key} (created since; --delete-created-since removes it)`,
      );
    }
  }
  const failed = results.filter((result) => !result.ok);
  for (const result of failed) {
    print(
      values.json,
      { type: 'failed', key: result.action.key, kind: result.action.kind, detail: result.detail },
      `failed   ${result.action.key}: ${result.detail}`,
    );
  }
  const applied = results.length - failed.length;
  const { seconds, perSecond } = progress?.figures() ?? { seconds: 0, perSecond: 0 };
  print(
    values.json,
    {
      type: 'summary',
      planned: plan.actions.length,
      applied,
      failed: failed.length,
      dryRun,
      seconds,
      objectsPerSecond: perSecond,
      recordedFromInterruptedRun,
    },
    dryRun
      ? `${plan.actions.length} changes planned; nothing was changed (dry run).`
      : `${applied} of ${plan.actions.length} changes applied in ${seconds} s (${perSecond} objects/s).` +
          (recordedFromInterruptedRun > 0
            ? ` ${recordedFromInterruptedRun} keys restored by an interrupted run were recorded in the audit log.`
            : ''),
  );
  return failed.length > 0 ? 1 : 0;
}
