import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ChecksumMode } from '../s3/checksums';
import type { JournalPart } from './journal';
import { withSentSettings } from './optionRefusal';
import type { ObjectSettingsInput } from './uploadOptions';

export async function createUpload(
  client: S3Client,
  bucket: string,
  key: string,
  contentType: string,
  checksumMode: ChecksumMode,
  settings: ObjectSettingsInput = {},
): Promise<string> {
  const response = await client
    .send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ContentType: contentType,
        ...settings,
        ...(checksumMode === 'WHEN_SUPPORTED' ? { ChecksumAlgorithm: 'CRC32' as const } : {}),
      }),
    )
    .catch((error: unknown) => {
      throw withSentSettings(error, settings);
    });
  if (!response.UploadId) throw new Error('the server returned no upload ID');
  return response.UploadId;
}

/**
 * The answer to a request on a multipart upload that no longer exists: NoSuchUpload, or
 * NoSuchKey from Ceph RGW 16 (its upload is an object that is gone).
 */
export function isUploadGone(error: unknown): boolean {
  const e = error as { name?: string; Code?: string };
  const code = e?.Code ?? e?.name;
  return code === 'NoSuchUpload' || code === 'NoSuchKey';
}

export interface ServerPart extends JournalPart {
  size: number;
}

/** The parts S3 holds for an upload, or null when the upload no longer exists. */
export async function listServerParts(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
  signal: AbortSignal,
): Promise<ServerPart[] | null> {
  const parts: ServerPart[] = [];
  let PartNumberMarker: string | undefined;
  try {
    for (;;) {
      const page = await client.send(
        new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker }),
        { abortSignal: signal },
      );
      for (const part of page.Parts ?? []) {
        if (part.PartNumber === undefined || !part.ETag) continue;
        parts.push({
          n: part.PartNumber,
          etag: part.ETag,
          size: part.Size ?? 0,
          ...(part.ChecksumCRC32 ? { crc32: part.ChecksumCRC32 } : {}),
        });
      }
      if (!page.IsTruncated || page.NextPartNumberMarker === undefined) return parts;
      PartNumberMarker = String(page.NextPartNumberMarker);
    }
  } catch (error) {
    if (isUploadGone(error)) return null;
    throw error;
  }
}

function completeCommand(
  bucket: string,
  key: string,
  uploadId: string,
  parts: JournalPart[],
  withChecksums: boolean,
): CompleteMultipartUploadCommand {
  return new CompleteMultipartUploadCommand({
    Bucket: bucket,
    Key: key,
    UploadId: uploadId,
    MultipartUpload: {
      Parts: [...parts]
        .sort((a, b) => a.n - b.n)
        .map((part) => ({
          PartNumber: part.n,
          ETag: part.etag,
          ...(withChecksums && part.crc32 ? { ChecksumCRC32: part.crc32 } : {}),
        })),
    },
  });
}

/**
 * Completes an upload. AWS requires the parts' CRC32s when the upload was created with one, but
 * some S3-compatible stores (Swift's s3api among them) reject them as MalformedXML; for those the
 * parts are listed without checksums, which is what they expected all along.
 */
export async function completeUpload(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
  parts: JournalPart[],
  signal: AbortSignal,
): Promise<void> {
  const hasChecksums = parts.some((part) => part.crc32);
  try {
    await client.send(completeCommand(bucket, key, uploadId, parts, hasChecksums), {
      abortSignal: signal,
    });
  } catch (error) {
    if (!hasChecksums || (error as { name?: string }).name !== 'MalformedXML') throw error;
    await client.send(completeCommand(bucket, key, uploadId, parts, false), {
      abortSignal: signal,
    });
  }
}

export async function abortUpload(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  try {
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
    );
  } catch (error) {
    if (!isUploadGone(error)) throw error;
  }
}
