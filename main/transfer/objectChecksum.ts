import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { crc32Base64 } from '../s3/checksums';
import { ItemError } from './itemFailure';
import type { JournalItem, JournalPart } from './journal';

/**
 * The composite CRC32 S3 keeps for a multipart object: the CRC32 of the parts' CRC32s, then
 * `-N`. Null when a part was sent without one.
 */
export function compositeCrc32(parts: JournalPart[]): string | null {
  if (parts.length === 0 || parts.some((part) => !part.crc32)) return null;
  const digests = [...parts]
    .sort((a, b) => a.n - b.n)
    .map((part) => Buffer.from(part.crc32!, 'base64'));
  return `${crc32Base64(Buffer.concat(digests))}-${parts.length}`;
}

/**
 * Where the store keeps the object's checksum, proves the object is made of exactly the parts
 * that were read from the file and checked for changes. Returns the problem, or null when it
 * matches or the store keeps none (Swift's s3api among them).
 */
export function verifyObjectChecksum(
  head: Pick<HeadObjectCommandOutput, 'ChecksumCRC32'>,
  parts: JournalPart[],
): string | null {
  const expected = compositeCrc32(parts);
  const stored = head.ChecksumCRC32;
  if (!expected || !stored || !stored.includes('-')) return null;
  return stored === expected
    ? null
    : `verification failed: the object's checksum (${stored}) is not that of the parts read from the file (${expected})`;
}

/**
 * After Complete: the object has the file's size and, where the store keeps one, the checksum of
 * the parts that were read.
 */
export async function verifyUploadedObject(
  client: S3Client,
  bucket: string,
  file: JournalItem,
  signal: AbortSignal,
): Promise<void> {
  const head = await client.send(
    new HeadObjectCommand({ Bucket: bucket, Key: file.key, ChecksumMode: 'ENABLED' }),
    { abortSignal: signal },
  );
  if (head.ContentLength !== file.size) {
    throw new ItemError(
      `verification failed: the object in the bucket has ${head.ContentLength} bytes, the file ${file.size}`,
    );
  }
  const mismatch = verifyObjectChecksum(head, [...(file.upload?.parts.values() ?? [])]);
  if (mismatch) throw new ItemError(mismatch);
}
