import { DEFAULT_RESTORE_CONCURRENCY } from '../versions/applyPlan';
import {
  deletedKeysUnder,
  findDeletedKey,
  undeleteKeys,
  type DeletedKey,
  type UndeleteOutcome,
} from '../versions/undelete';
import { CONNECTION_OPTIONS, parse, s3Argument } from './args';
import { UsageError } from './usage';
import {
  auditFor,
  concurrencyOption,
  dateOption,
  print,
  StepProgress,
  versionsClient,
} from './versionsCli';

function describeOutcome(outcome: UndeleteOutcome): string {
  if (!outcome.ok) return `failed    ${outcome.error}`;
  const result = outcome.result!;
  return result.strategy === 'removed-delete-marker'
    ? `undeleted ${result.key} (removed-delete-marker: version ${result.restoredVersionId} is the latest again)`
    : `undeleted ${result.key} (copied-previous-version ${result.restoredVersionId}: ${result.fallbackReason})`;
}

/**
 * `bucketdrop undelete s3://b/key`, or `s3://b/folder/`: every key under the folder whose latest
 * entry is a delete marker, whenever it was deleted (`--deleted-since`, `--deleted-before`
 * narrow it). The count comes first; `--dry-run` lists the keys and changes nothing.
 */
export async function undeleteCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_OPTIONS,
    'dry-run': { type: 'boolean' },
    'deleted-since': { type: 'string' },
    'deleted-before': { type: 'string' },
    concurrency: { type: 'string' },
  });
  if (positionals.length !== 1)
    throw new UsageError('undelete takes one s3://bucket/key or s3://bucket/folder/');
  const { bucket, key } = s3Argument(positionals[0]!);
  const deletedSince = dateOption('deleted-since', values['deleted-since']);
  const deletedBefore = dateOption('deleted-before', values['deleted-before']);
  const keyConcurrency = concurrencyOption(values.concurrency, DEFAULT_RESTORE_CONCURRENCY);
  const client = await versionsClient(values, bucket, keyConcurrency);
  const folder = key === '' || key.endsWith('/');
  if (!folder && (deletedSince || deletedBefore)) {
    throw new UsageError('--deleted-since and --deleted-before apply to a folder (s3://b/folder/)');
  }

  const targets: DeletedKey[] = [];
  if (folder) {
    const filter = {
      ...(deletedSince && { deletedSince }),
      ...(deletedBefore && { deletedBefore }),
    };
    for await (const deleted of deletedKeysUnder(client, bucket, key, filter))
      targets.push(deleted);
  } else {
    targets.push(await findDeletedKey(client, bucket, key));
  }
  const where = `s3://${bucket}/${key}`;
  print(
    values.json,
    { type: 'plan', deleted: targets.length, dryRun: Boolean(values['dry-run']) },
    !folder
      ? `${where} is deleted`
      : targets.length === 0
        ? `nothing deleted under ${where}`
        : `${targets.length} deleted ${targets.length === 1 ? 'key' : 'keys'} under ${where}`,
  );
  if (values['dry-run']) {
    for (const target of targets) {
      print(
        values.json,
        {
          type: 'deleted',
          key: target.key,
          deletedAt: target.markers[0]!.lastModified.toISOString(),
          ...(target.version && { versionId: target.version.versionId }),
        },
        `deleted   ${target.key}  ${target.markers[0]!.lastModified.toISOString()}`,
      );
    }
    return 0;
  }

  const progress = new StepProgress(targets.length, values.json, 'undeleted');
  const counts = { 'removed-delete-marker': 0, 'copied-previous-version': 0 };
  const outcomes = await undeleteKeys(client, bucket, targets, {
    audit: auditFor(values),
    keyConcurrency,
    onOutcome: (outcome) => {
      if (outcome.result) counts[outcome.result.strategy]++;
      print(values.json, { type: 'item', ...outcome }, describeOutcome(outcome));
      progress.step(outcome.ok);
    },
  });
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  const { seconds, perSecond } = progress.figures();
  print(
    values.json,
    { type: 'summary', undeleted: outcomes.length - failed, failed, strategies: counts, seconds },
    `${outcomes.length - failed} of ${targets.length} undeleted in ${seconds} s (${perSecond}/s): ` +
      `${counts['removed-delete-marker']} by removing the delete marker, ` +
      `${counts['copied-previous-version']} by copying the previous version back` +
      (failed > 0 ? `; ${failed} failed` : ''),
  );
  return failed > 0 ? 1 : 0;
}
