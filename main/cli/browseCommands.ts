import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { deleteObjects } from '../browse/deletion';
import { MAX_PRESIGN_SECONDS, presign } from '../browse/links';
import { createS3Client } from '../s3/client';
import { formatS3Uri } from '../s3/uri';
import { httpStatusOf } from '../transfer/errors';
import { checksumOption, CONNECTION_OPTIONS, parse, s3Argument } from './args';
import { cliConnection } from './connection';
import { parseDuration } from './format';
import { UsageError } from './usage';

type ConnectionValues = ReturnType<typeof parse<typeof CONNECTION_OPTIONS>>['values'];

const DEFAULT_EXPIRY_SECONDS = 3600;

async function browseClient(values: ConnectionValues, bucket: string): Promise<S3Client> {
  const connection = await cliConnection(values, { bucket });
  return createS3Client({
    ...connection.settings,
    checksumMode: checksumOption(values.checksum, connection.checksumMode),
    maxSockets: 8,
  });
}

function expirySeconds(text: string | undefined): number {
  if (text === undefined) return DEFAULT_EXPIRY_SECONDS;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    throw new UsageError(`--expires: ${(error as Error).message}`);
  }
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
    throw new UsageError(`--expires must be between 1s and 7d (the SigV4 maximum), not "${text}"`);
  }
  return seconds;
}

function sessionWords(limitedBy: 'session-expiry' | 'session-unknown' | undefined): string {
  if (limitedBy === 'session-expiry') {
    return ' The link stops working then because the session credentials that signed it expire.';
  }
  if (limitedBy === 'session-unknown') {
    return ' Session credentials signed it: it stops working when their session ends, maybe sooner.';
  }
  return '';
}

/** `bucketdrop presign s3://b/key`: a GET (or PUT) link, and when it stops working. */
export async function presignCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_OPTIONS,
    expires: { type: 'string' },
    method: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('presign takes one s3://bucket/key');
  const { bucket, key } = s3Argument(positionals[0]!);
  if (!key || key.endsWith('/')) throw new UsageError('presign takes an object key, not a folder');
  const method = (values.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'PUT') {
    throw new UsageError(`--method takes GET or PUT, not "${values.method}"`);
  }
  const client = await browseClient(values, bucket);
  const link = await presign(client, bucket, key, {
    method,
    expiresInSeconds: expirySeconds(values.expires),
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ type: 'presigned', method, ...link })}\n`);
  } else {
    process.stdout.write(`${link.url}\n`);
    process.stderr.write(`Expires at ${link.expiresAt}.${sessionWords(link.limitedBy)}\n`);
  }
  return 0;
}

async function exists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (httpStatusOf(error) === 404) return false;
    throw error;
  }
}

async function hasKeysUnder(client: S3Client, bucket: string, prefix: string): Promise<boolean> {
  const page = await client.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }),
  );
  return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
}

/**
 * `bucketdrop rm s3://b/key`: deletes exactly that key. A folder needs --recursive, so that a
 * typo or a missing key never deletes more than was named.
 */
export async function rm(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_OPTIONS,
    recursive: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('rm takes one s3://bucket/key');
  const { bucket, key } = s3Argument(positionals[0]!);
  const client = await browseClient(values, bucket);
  const out = (value: object, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value)}\n` : `${text}\n`);

  if (values.recursive) {
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    // Thousands of keys take a while: a terminal sees the count grow.
    const progress = process.stderr.isTTY
      ? (deleted: number) => process.stderr.write(`\rdeleted ${deleted} objects…`)
      : undefined;
    const report = await deleteObjects(client, bucket, [], [prefix], progress);
    if (progress) process.stderr.write('\n');
    for (const failure of report.failures) {
      out(
        { type: 'failed', key: failure.key, error: failure.message },
        `failed ${formatS3Uri(bucket, failure.key)}: ${failure.message}`,
      );
    }
    out(
      { type: 'summary', deleted: report.deleted, failed: report.failures.length },
      `${report.deleted} objects deleted under ${formatS3Uri(bucket, prefix)}, ${report.failures.length} failed.`,
    );
    return report.failures.length > 0 ? 1 : 0;
  }

  if (!key)
    throw new UsageError("rm takes an object key; add --recursive to delete a whole bucket's keys");
  if (key.endsWith('/')) {
    throw new UsageError(
      `${formatS3Uri(bucket, key)} is a folder: add --recursive to delete everything under it`,
    );
  }
  if (!(await exists(client, bucket, key))) {
    if (await hasKeysUnder(client, bucket, `${key}/`)) {
      throw new UsageError(
        `${formatS3Uri(bucket, key)} is a folder, not an object: add --recursive to delete everything under it`,
      );
    }
    process.stderr.write(`bucketdrop: ${formatS3Uri(bucket, key)}: no such object\n`);
    return 1;
  }
  const report = await deleteObjects(client, bucket, [key], []);
  const failure = report.failures[0];
  if (failure) {
    process.stderr.write(
      `bucketdrop: could not delete ${formatS3Uri(bucket, key)}: ${failure.message}\n`,
    );
    return 1;
  }
  out({ type: 'deleted', key }, `deleted ${formatS3Uri(bucket, key)}`);
  return 0;
}
