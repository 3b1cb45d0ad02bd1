import type { FileHandle } from 'node:fs/promises';
import { PutObjectCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { checksumFor, type ChecksumMode } from '../s3/checksums';
import { withSentSettings } from './optionRefusal';
import type { ObjectSettingsInput } from './uploadOptions';

export class FileChangedError extends Error {
  override readonly name = 'FileChangedError';
}

/**
 * Reads exactly [start, end) of the file into `buffer`. Parts are read into memory one at a time per slot,
 * never the whole file: the buffer lets the checksum be computed before sending, which avoids
 * the aws-chunked encoding that many S3-compatible stores refuse.
 */
export async function readRange(
  handle: FileHandle,
  start: number,
  end: number,
  buffer: Buffer = Buffer.allocUnsafe(end - start),
): Promise<Buffer> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
    if (bytesRead === 0) {
      throw new FileChangedError('the file became shorter while it was being uploaded');
    }
    filled += bytesRead;
  }
  return buffer;
}

export interface PartTarget {
  client: S3Client;
  bucket: string;
  key: string;
  checksumMode: ChecksumMode;
  signal: AbortSignal;
}

export interface UploadedPart {
  etag: string;
  crc32?: string;
}

export async function uploadPart(
  target: PartTarget,
  uploadId: string,
  partNumber: number,
  body: Buffer,
): Promise<UploadedPart> {
  const checksum = checksumFor(body, target.checksumMode);
  const response = await target.client.send(
    new UploadPartCommand({
      Bucket: target.bucket,
      Key: target.key,
      UploadId: uploadId,
      PartNumber: partNumber,
      Body: body,
      ContentLength: body.length,
      ...checksum,
    }),
    { abortSignal: target.signal },
  );
  if (!response.ETag) throw new Error(`the server returned no ETag for part ${partNumber}`);
  return {
    etag: response.ETag,
    ...(checksum.ChecksumCRC32 ? { crc32: checksum.ChecksumCRC32 } : {}),
  };
}

export async function putWholeObject(
  target: PartTarget,
  body: Buffer,
  contentType: string,
  settings: ObjectSettingsInput = {},
): Promise<void> {
  await target.client
    .send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Body: body,
        ContentLength: body.length,
        ContentType: contentType,
        ...settings,
        ...checksumFor(body, target.checksumMode),
      }),
      { abortSignal: target.signal },
    )
    .catch((error: unknown) => {
      throw withSentSettings(error, settings);
    });
}
