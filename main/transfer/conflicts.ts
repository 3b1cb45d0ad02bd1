import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { httpStatusOf } from './errors';
import { renamedKey } from './keys';
import { layoutFor, partRange, type PartSizingOptions } from './partSizing';

import type { ConflictPolicy } from '../../preload/contract';

/**
 * What to do when the key already exists. `skip` never replaces the existing object; it only
 * tells whether the object is identical to the file or differs from it.
 */
export type { ConflictPolicy };

export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['overwrite', 'skip', 'rename'];

export type ConflictDecision =
  { action: 'upload'; key: string } | { action: 'skip'; reason: string };

const MAX_RENAME_ATTEMPTS = 1000;

export async function headOrNull(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<HeadObjectCommandOutput | null> {
  try {
    return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: signal,
    });
  } catch (error) {
    if (httpStatusOf(error) === 404 || (error as Error).name === 'NotFound') return null;
    throw error;
  }
}

async function md5OfRange(path: string, start: number, end: number): Promise<Buffer> {
  const hash = createHash('md5');
  if (end > start) {
    for await (const chunk of createReadStream(path, { start, end: end - 1 })) hash.update(chunk);
  }
  return hash.digest();
}

/**
 * The ETag S3 would give this file: the MD5 for a single PUT, or the MD5 of the parts' MD5s with
 * a `-N` suffix for a multipart upload. Only comparable when the part size matches ours.
 */
export async function expectedEtag(
  path: string,
  size: number,
  sizing: PartSizingOptions,
): Promise<string> {
  const layout = layoutFor(size, sizing);
  if (layout.kind === 'single') return (await md5OfRange(path, 0, size)).toString('hex');
  const digests: Buffer[] = [];
  for (let n = 1; n <= layout.partCount; n++) {
    const { start, end } = partRange(size, layout.partSize, n);
    digests.push(await md5OfRange(path, start, end));
  }
  const combined = createHash('md5').update(Buffer.concat(digests)).digest('hex');
  return `${combined}-${layout.partCount}`;
}

export async function decideConflict(
  client: S3Client,
  bucket: string,
  key: string,
  file: { path: string; size: number },
  policy: ConflictPolicy,
  sizing: PartSizingOptions,
  signal?: AbortSignal,
): Promise<ConflictDecision> {
  if (policy === 'overwrite') return { action: 'upload', key };
  const existing = await headOrNull(client, bucket, key, signal);
  if (!existing) return { action: 'upload', key };
  if (policy === 'skip') {
    const remoteEtag = (existing.ETag ?? '').replace(/"/g, '');
    const identical =
      existing.ContentLength === file.size &&
      remoteEtag === (await expectedEtag(file.path, file.size, sizing));
    return {
      action: 'skip',
      reason: identical
        ? 'already in the bucket, identical'
        : 'already in the bucket with different content; the existing object was kept',
    };
  }
  for (let attempt = 1; attempt <= MAX_RENAME_ATTEMPTS; attempt++) {
    const candidate = renamedKey(key, attempt);
    if (!(await headOrNull(client, bucket, candidate, signal))) {
      return { action: 'upload', key: candidate };
    }
  }
  throw new Error(`no free name found after ${MAX_RENAME_ATTEMPTS} renames`);
}
