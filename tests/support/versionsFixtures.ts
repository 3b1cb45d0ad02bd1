/** Building versioned folders for the versions tests and the restore bench (no test runner). */
import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createS3Client } from '../../main/s3/client';
import { checkingClient, freshBucket, type LocalS3 } from './s3env';

/** A client for building fixtures: the project's own, so DeleteObjects gets its Content-MD5. */
export function setupClient(s3: LocalS3): S3Client {
  return createS3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    checksumMode: 'WHEN_REQUIRED',
    maxSockets: 32,
  });
}

export async function versionedBucket(s3: LocalS3, label: string): Promise<string> {
  const checker = checkingClient(s3);
  const bucket = await freshBucket(checker, label);
  await checker.send(
    new PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  return bucket;
}

export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<unknown>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Puts each object once; returns the version id each got. */
export async function putAll(
  client: S3Client,
  bucket: string,
  objects: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await inParallel([...objects], 32, async ([Key, Body]) => {
    const response = await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
    ids.set(Key, response.VersionId!);
  });
  return ids;
}

const DELETE_BATCH = 200;

/**
 * Stacks a delete marker on each key, 200 keys a request: Swift takes over a minute (the SDK's
 * socket timeout) for 1,000 on a busy machine.
 */
export async function deleteAll(
  client: S3Client,
  bucket: string,
  keys: readonly string[],
): Promise<void> {
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const response = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: {
          Objects: keys.slice(start, start + DELETE_BATCH).map((Key) => ({ Key })),
          Quiet: true,
        },
      }),
    );
    if (response.Errors?.length) throw new Error(`deleting: ${JSON.stringify(response.Errors[0])}`);
  }
}

/** One key's versions and markers, newest first, read with the independent client. */
export async function keyEntries(checker: S3Client, bucket: string, key: string) {
  const page = await checker.send(
    new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 1000 }),
  );
  return [
    ...(page.Versions ?? []).map((v) => ({ ...v, marker: false })),
    ...(page.DeleteMarkers ?? []).map((m) => ({ ...m, marker: true })),
  ].filter((entry) => entry.Key === key);
}
