import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../s3/client';
import { userDataDir } from '../transfer/dataDir';
import { AuditLog, type AuditContext } from '../versions/audit';
import { keyHistoryPages } from '../versions/history';
import { restorePrefixToTime } from '../versions/pointInTime';
import { restoreVersion } from '../versions/restore';
import { undelete } from '../versions/undelete';
import { checksumOption, CONNECTION_OPTIONS, parse, s3Argument } from './args';
import { cliConnection } from './connection';
import { UsageError } from './usage';

type ConnectionValues = ReturnType<typeof parse<typeof CONNECTION_OPTIONS>>['values'];

async function versionsClient(values: ConnectionValues, bucket: string): Promise<S3Client> {
  const connection = await cliConnection(values, { bucket });
  return createS3Client({
    ...connection.settings,
    checksumMode: checksumOption(values.checksum, connection.checksumMode),
    maxSockets: 16,
  });
}

/** Every restore, undelete and delete from the command line is recorded, as in the app. */
function auditFor(values: ConnectionValues): AuditContext {
  return {
    log: new AuditLog(path.join(userDataDir(), 'audit')),
    profile: values.profile ?? 'environment',
  };
}

function print(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

/** `bucketdrop versions s3://b/key`: every version and delete marker, newest first. */
export async function versions(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, CONNECTION_OPTIONS);
  if (positionals.length !== 1) throw new UsageError('versions takes one s3://bucket/key');
  const { bucket, key } = s3Argument(positionals[0]!);
  const client = await versionsClient(values, bucket);
  for await (const page of keyHistoryPages(client, bucket, key)) {
    for (const entry of page) {
      const kind = entry.isDeleteMarker ? 'delete marker' : `${entry.size ?? 0} bytes`;
      print(
        values.json,
        entry,
        `${entry.isLatest ? '*' : ' '} ${entry.versionId}  ${entry.lastModified.toISOString()}  ${kind}`,
      );
    }
  }
  return 0;
}

/** `bucketdrop restore s3://b/key --version-id V`: a server-side copy, nothing is deleted. */
export async function restore(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_OPTIONS,
    'version-id': { type: 'string' },
  });
  const versionId = values['version-id'];
  if (positionals.length !== 1 || !versionId) {
    throw new UsageError('restore takes one s3://bucket/key and --version-id');
  }
  const { bucket, key } = s3Argument(positionals[0]!);
  const client = await versionsClient(values, bucket);
  const result = await restoreVersion(
    client,
    { bucket, key, versionId },
    { audit: auditFor(values) },
  );
  print(
    values.json,
    result,
    `restored ${key} to version ${versionId}: new latest version ${result.newVersionId ?? '(unknown)'}`,
  );
  return 0;
}

/** `bucketdrop undelete s3://b/key`, or every deleted key under `s3://b/prefix/`. */
export async function undeleteCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, CONNECTION_OPTIONS);
  if (positionals.length !== 1)
    throw new UsageError('undelete takes one s3://bucket/key-or-prefix/');
  const { bucket, key } = s3Argument(positionals[0]!);
  const client = await versionsClient(values, bucket);
  const audit = auditFor(values);
  if (!key.endsWith('/')) {
    const result = await undelete(client, bucket, key, { audit });
    print(values.json, result, `undeleted ${key} (${result.strategy})`);
    return 0;
  }
  // A prefix is restored to "now": every key whose latest version is a delete marker comes back.
  const { results } = await restorePrefixToTime(client, bucket, key, new Date(), { audit });
  let failed = 0;
  for (const result of results) {
    if (!result.ok) failed++;
    print(
      values.json,
      result,
      `${result.ok ? 'undeleted' : 'failed'} ${result.action.key}: ${result.detail}`,
    );
  }
  if (results.length === 0)
    print(values.json, { undeleted: 0 }, 'nothing deleted under that prefix');
  return failed > 0 ? 1 : 0;
}

/** `bucketdrop restore-prefix s3://b/prefix/ --at ISO8601 [--dry-run]`. */
export async function restorePrefix(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_OPTIONS,
    at: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'delete-created-since': { type: 'boolean' },
  });
  const at = values.at ? new Date(values.at) : null;
  if (positionals.length !== 1 || !at || Number.isNaN(at.getTime())) {
    throw new UsageError(
      'restore-prefix takes one s3://bucket/prefix/ and --at 2026-11-24T17:00:00Z',
    );
  }
  const { bucket, key: prefix } = s3Argument(positionals[0]!);
  const client = await versionsClient(values, bucket);
  const { plan, results } = await restorePrefixToTime(client, bucket, prefix, at, {
    dryRun: Boolean(values['dry-run']),
    deleteCreatedSince: Boolean(values['delete-created-since']),
    audit: auditFor(values),
  });
  for (const action of plan.actions) {
    print(values.json, { type: 'planned', ...action }, `${action.kind.padEnd(8)} ${action.key}`);
  }
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
      { type: 'failed', ...result },
      `failed   ${result.action.key}: ${result.detail}`,
    );
  }
  print(
    values.json,
    {
      type: 'summary',
      planned: plan.actions.length,
      applied: results.length - failed.length,
      failed: failed.length,
      dryRun: Boolean(values['dry-run']),
    },
    values['dry-run']
      ? `${plan.actions.length} changes planned; nothing was changed (dry run).`
      : `${results.length - failed.length} of ${plan.actions.length} changes applied.`,
  );
  return failed.length > 0 ? 1 : 0;
}
