import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { DownloadError } from './errors';

/** How an ETag relates to the bytes: their MD5, S3's MD5 of part MD5s ("…-3"), or unknown. */
export type EtagKind = 'md5' | 'multipart' | 'opaque';

const MULTIPART_ETAG = /^"?([0-9a-f]{32})-(\d+)"?$/i;
/** Beyond this many parts the per-part HEADs cost more than the check is worth. */
export const MAX_VERIFIED_PARTS = 1000;

export function etagKindOf(
  etag: string,
  encryption: string | undefined,
  customerKey: boolean,
): EtagKind {
  // With KMS or customer keys the ETag is not a digest of the plain bytes.
  if (encryption === 'aws:kms' || encryption === 'aws:kms:dsse' || customerKey) return 'opaque';
  if (/^"?[0-9a-f]{32}"?$/i.test(etag)) return 'md5';
  return MULTIPART_ETAG.test(etag) ? 'multipart' : 'opaque';
}

export interface ObjectRef {
  Bucket: string;
  Key: string;
  VersionId?: string;
}

/** A running digest that accepts the file's bytes in order. */
interface Digest {
  update(chunk: Buffer): void;
  result(): string;
}

function hashDigest(hash: Hash, encoding: 'hex' | 'base64'): Digest {
  return { update: (chunk) => hash.update(chunk), result: () => hash.digest(encoding) };
}

function crc32Digest(): Digest {
  let value = 0;
  return {
    update: (chunk) => (value = crc32(chunk, value)),
    result: () => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(value >>> 0);
      return bytes.toString('base64');
    },
  };
}

/** Reads the handle once, cutting it into consecutive ranges of `sizes` (all of it if empty). */
async function digestRanges(
  handle: FileHandle,
  sizes: number[],
  make: () => Digest,
  signal: AbortSignal,
): Promise<string[]> {
  const results: string[] = [];
  let digest = make();
  let left = sizes[0] ?? Infinity;
  let index = 0;
  for await (const data of createReadStream('', { fd: handle.fd, start: 0, autoClose: false })) {
    signal.throwIfAborted();
    let chunk = data as Buffer;
    while (chunk.length > 0) {
      const take = Math.min(left, chunk.length);
      digest.update(chunk.subarray(0, take));
      chunk = chunk.subarray(take);
      left -= take;
      if (left === 0 && index < sizes.length - 1) {
        results.push(digest.result());
        digest = make();
        left = sizes[++index]!;
      }
    }
  }
  results.push(digest.result());
  return results;
}

const DISCARDED = 'the file was discarded, retry to download it again';

/** The store's full-object checksum, when it gives one (not a composite "…-N" of parts). */
function fullObjectChecksum(head: HeadObjectCommandOutput): [string, () => Digest] | null {
  const composite = (value: string | undefined) => !value || value.includes('-');
  if (!composite(head.ChecksumSHA256)) {
    return [head.ChecksumSHA256!, () => hashDigest(createHash('sha256'), 'base64')];
  }
  if (!composite(head.ChecksumSHA1)) {
    return [head.ChecksumSHA1!, () => hashDigest(createHash('sha1'), 'base64')];
  }
  if (!composite(head.ChecksumCRC32)) return [head.ChecksumCRC32!, crc32Digest];
  return null;
}

/**
 * Checks the bytes on disk against what the store says the object is: its MD5 ETag, else a
 * full-object checksum, else a multipart ETag recomputed from the sizes of its parts (one HEAD
 * per part). Objects whose ETag is opaque and that carry no checksum are not verifiable.
 * Throws a DownloadError (after emptying the file) on a mismatch.
 */
export async function verifyDownload(
  client: S3Client,
  object: ObjectRef,
  handle: FileHandle,
  etag: string,
  kind: EtagKind,
  signal: AbortSignal,
): Promise<void> {
  const fail = async (what: string): Promise<never> => {
    await handle.truncate(0);
    throw new DownloadError(`the downloaded bytes do not match the object's ${what}: ${DISCARDED}`);
  };
  const expected = etag.replace(/"/g, '').toLowerCase();
  if (kind === 'md5') {
    const [md5] = await digestRanges(
      handle,
      [],
      () => hashDigest(createHash('md5'), 'hex'),
      signal,
    );
    if (md5 !== expected) await fail('MD5 (ETag)');
    return;
  }
  const head = await client.send(
    new HeadObjectCommand({ ...object, IfMatch: etag, ChecksumMode: 'ENABLED' }),
    { abortSignal: signal },
  );
  const checksum = fullObjectChecksum(head);
  if (checksum) {
    const [sum] = await digestRanges(handle, [], checksum[1], signal);
    if (sum !== checksum[0]) await fail('checksum');
    return;
  }
  const parts = Number(MULTIPART_ETAG.exec(expected)?.[2] ?? 0);
  if (kind !== 'multipart' || parts > MAX_VERIFIED_PARTS) return;
  const sizes: number[] = [];
  try {
    for (let part = 1; part <= parts; part++) {
      const answer = await client.send(
        new HeadObjectCommand({ ...object, IfMatch: etag, PartNumber: part }),
        { abortSignal: signal },
      );
      sizes.push(answer.ContentLength ?? 0);
    }
  } catch (error) {
    // Stores without partNumber (Swift answers 405) leave the part sizes unknown.
    if (signal.aborted) throw error;
    return;
  }
  // A store that ignores partNumber answers with the whole object: nothing to check against.
  const total = (await handle.stat()).size;
  if (sizes.reduce((sum, size) => sum + size, 0) !== total) return;
  const partMd5s = await digestRanges(
    handle,
    sizes,
    () => hashDigest(createHash('md5'), 'hex'),
    signal,
  );
  const combined = createHash('md5')
    .update(Buffer.concat(partMd5s.map((md5) => Buffer.from(md5, 'hex'))))
    .digest('hex');
  if (`${combined}-${parts}` !== expected) await fail('multipart ETag (MD5 of its parts)');
}
