import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const S3_DIR = process.env.BUCKETDROP_S3_DIR ?? path.join(REPO_ROOT, '.s3-local');
/** The Ceph RGW instance's folder (tests/s3-server/rgw.sh). */
export const RGW_DIR = process.env.BUCKETDROP_RGW_DIR ?? path.join(REPO_ROOT, '.s3-local-rgw');

export interface LocalS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  secondAccessKeyId: string;
  secondSecretAccessKey: string;
  /** A user of the same account with no access to its buckets, for AccessDenied. */
  readOnlyAccessKeyId: string;
  readOnlySecretAccessKey: string;
  /** An admin with a distinctive secret, for scanning output for secrets. */
  keyringAccessKeyId: string;
  keyringSecretAccessKey: string;
  /** Environment that points the CLI or any AWS tool at the local server. */
  env: Record<string, string>;
}

export function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}

/** The server whose instance folder is `dir` (the Swift one unless told). */
export function localS3(dir = S3_DIR): LocalS3 {
  const env = readEnvFile(path.join(dir, 'env'));
  return {
    endpoint: env.AWS_ENDPOINT_URL!,
    region: env.AWS_REGION!,
    accessKeyId: env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
    secondAccessKeyId: env.BUCKETDROP_S3_SECOND_ACCESS_KEY_ID!,
    secondSecretAccessKey: env.BUCKETDROP_S3_SECOND_SECRET_ACCESS_KEY!,
    readOnlyAccessKeyId: env.BUCKETDROP_S3_NOACCESS_ACCESS_KEY_ID!,
    readOnlySecretAccessKey: env.BUCKETDROP_S3_NOACCESS_SECRET_ACCESS_KEY!,
    keyringAccessKeyId: env.BUCKETDROP_S3_KEYRING_ACCESS_KEY_ID!,
    keyringSecretAccessKey: env.BUCKETDROP_S3_KEYRING_SECRET_ACCESS_KEY!,
    env: {
      AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL!,
      AWS_REGION: env.AWS_REGION!,
      AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID!,
      AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY!,
    },
  };
}

/** An independent client for checking what landed, with settings the engine does not share. */
export function checkingClient(s3 = localS3(), endpoint = s3.endpoint): S3Client {
  return new S3Client({
    endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function freshBucket(client: S3Client, label: string): Promise<string> {
  const bucket = `t-${label}-${randomBytes(4).toString('hex')}`.toLowerCase();
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

export async function allKeys(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }),
    );
    for (const object of page.Contents ?? []) keys.push(object.Key!);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return keys.sort();
}

/** Each unfinished multipart upload as `key (upload id, initiated)`, for telling failures apart. */
export async function incompleteUploads(client: S3Client, bucket: string): Promise<string[]> {
  const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (page.Uploads ?? []).map(
    (upload) => `${upload.Key} (${upload.UploadId}, ${upload.Initiated?.toISOString()})`,
  );
}

/** Whether the local server of `dir` is up, so a runner stops only what it started. */
export function serverRunning(dir = S3_DIR): boolean {
  const pidFile = path.join(dir, 's3-server.pid');
  if (!existsSync(pidFile)) return false;
  // One "name pid" line per server process.
  return readFileSync(pidFile, 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[1])
    .filter((pid): pid is string => Boolean(pid))
    .every((pid) => {
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch {
        return false;
      }
    });
}
