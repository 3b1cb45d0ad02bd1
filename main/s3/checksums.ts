import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

import type { ChecksumMode } from '../../preload/contract';

/**
 * `WHEN_SUPPORTED` sends a CRC32 with every part (AWS, recent MinIO); `WHEN_REQUIRED` sends
 * Content-MD5 instead, for stores that ignore or reject the SDK's flexible checksums.
 */
export type { ChecksumMode };

export const CHECKSUM_MODES: readonly ChecksumMode[] = ['WHEN_SUPPORTED', 'WHEN_REQUIRED'];

export interface PartChecksum {
  ChecksumCRC32?: string;
  ContentMD5?: string;
}

/** Base64 of the big-endian CRC32, the form S3 expects in x-amz-checksum-crc32. */
export function crc32Base64(data: Uint8Array): string {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(crc32(data) >>> 0);
  return value.toString('base64');
}

export function md5Base64(data: Uint8Array): string {
  return createHash('md5').update(data).digest('base64');
}

export function checksumFor(data: Uint8Array, mode: ChecksumMode): PartChecksum {
  return mode === 'WHEN_SUPPORTED'
    ? { ChecksumCRC32: crc32Base64(data) }
    : { ContentMD5: md5Base64(data) };
}
