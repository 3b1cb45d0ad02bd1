import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { type ChecksumMode, crc32Base64, md5Base64 } from '../s3/checksums';
import { type ConnectionSettings, createS3Client } from '../s3/client';
import { describeS3Error, httpStatusOf } from '../transfer/errors';
import type { ProfileSettings } from './resolve';

export interface ChecksumProbeResult {
  mode: ChecksumMode;
  /** Plain words, for the settings screen. */
  reason: string;
  /** False when the store checks neither CRC32 nor Content-MD5: nothing catches corruption. */
  verified: boolean;
}

/** The probe could not run (no write access, no such bucket, network): nothing was learnt. */
export class ChecksumProbeError extends Error {}

const PROBE_PREFIX = '.bucketdrop-probe/';
const BODY = Buffer.from('Bucketdrop checksum probe: safe to delete.\n');
const OTHER = Buffer.from('Not the bytes that were sent.\n');

type Attempt = { ok: true; versionId?: string } | { ok: false; error: unknown };

async function attempt(action: () => Promise<string | undefined | void>): Promise<Attempt> {
  try {
    const versionId = await action();
    return versionId ? { ok: true, versionId } : { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * The store looked at the request and said no, as opposed to a denied write, a missing bucket,
 * a network failure or a passing server error, after which the probe knows nothing.
 */
function isRefusal(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status === undefined) return false;
  if (status === 501) return true;
  return status >= 400 && status < 500 && ![401, 403, 404, 408, 429].includes(status);
}

function causeOf(error: unknown): string {
  const e = error as { Code?: string; name?: string };
  return `${e?.Code ?? e?.name ?? 'error'}: ${describeS3Error(error)}`;
}

/**
 * Finds the checksum mode a store accepts by trying it, in a scratch prefix of the bucket that
 * is cleaned up afterwards. A store that verifies CRC32 refuses a wrong one and accepts right
 * ones, in single and multipart uploads: WHEN_SUPPORTED. One that stores a wrong CRC32 happily
 * (Swift, older Ceph) gets Content-MD5, which such stores do check: WHEN_REQUIRED.
 */
export async function probeChecksumMode(
  settings: ProfileSettings | ConnectionSettings,
  bucket: string,
): Promise<ChecksumProbeResult> {
  // WHEN_REQUIRED: the SDK adds no checksum of its own, so the probe's headers are the only ones.
  const client = createS3Client({ ...settings, checksumMode: 'WHEN_REQUIRED', maxSockets: 2 });
  const prefix = `${PROBE_PREFIX}${Date.now()}-${randomBytes(4).toString('hex')}/`;
  // Key → version id, so that a versioned bucket keeps no trace of the probe.
  const written = new Map<string, string | undefined>();
  const uploads = new Map<string, string>();
  const put = async (key: string, checksum: { ChecksumCRC32?: string; ContentMD5?: string }) => {
    let versionId: string | undefined;
    const result = await attempt(async () => {
      versionId = (
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: BODY, ...checksum }),
        )
      ).VersionId;
    });
    if (result.ok) written.set(key, versionId);
    else if (!isRefusal(result.error)) throw cannotProbe(bucket, result.error);
    return result;
  };
  try {
    const wrongCrc = await put(`${prefix}wrong-crc32`, { ChecksumCRC32: crc32Base64(OTHER) });
    if (wrongCrc.ok) {
      const wrongMd5 = await put(`${prefix}wrong-md5`, { ContentMD5: md5Base64(OTHER) });
      return wrongMd5.ok
        ? {
            mode: 'WHEN_REQUIRED',
            verified: false,
            reason:
              'The store accepted uploads with a wrong CRC32 and with a wrong Content-MD5: it checks neither, so it cannot catch data corrupted on the way. Bucketdrop sends Content-MD5, which the stores that check anything check.',
          }
        : {
            mode: 'WHEN_REQUIRED',
            verified: true,
            reason:
              'The store ignores CRC32 checksums (it kept an upload whose CRC32 was wrong) but checks Content-MD5 (it refused a wrong one): Bucketdrop sends Content-MD5, so corrupted uploads are still caught.',
          };
    }
    const rightCrc = await put(`${prefix}crc32`, { ChecksumCRC32: crc32Base64(BODY) });
    if (!rightCrc.ok) {
      return {
        mode: 'WHEN_REQUIRED',
        verified: true,
        reason: `The store refuses CRC32 checksum headers even when they are right (${causeOf(rightCrc.error)}): Bucketdrop sends Content-MD5 instead.`,
      };
    }
    const multipart = await multipartWithCrc32(client, bucket, `${prefix}multipart`, uploads);
    if (multipart.ok) {
      written.set(`${prefix}multipart`, multipart.versionId);
      return {
        mode: 'WHEN_SUPPORTED',
        verified: true,
        reason:
          'The store checks CRC32 checksums: it refused an upload with a wrong one and accepted right ones, in single and in multipart uploads.',
      };
    }
    if (!isRefusal(multipart.error)) throw cannotProbe(bucket, multipart.error);
    return {
      mode: 'WHEN_REQUIRED',
      verified: true,
      reason: `The store checks CRC32 on single uploads but refused a multipart upload with CRC32 part checksums (${causeOf(multipart.error)}): Bucketdrop sends Content-MD5 instead.`,
    };
  } finally {
    await cleanUp(client, bucket, written, uploads);
    client.destroy();
  }
}

async function multipartWithCrc32(
  client: S3Client,
  bucket: string,
  key: string,
  uploads: Map<string, string>,
): Promise<Attempt> {
  return attempt(async () => {
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'CRC32' }),
    );
    const uploadId = created.UploadId!;
    uploads.set(key, uploadId);
    const checksum = crc32Base64(BODY);
    const part = await client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: 1,
        Body: BODY,
        ChecksumCRC32: checksum,
      }),
    );
    const completed = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: checksum }] },
      }),
    );
    uploads.delete(key);
    return completed.VersionId;
  });
}

/** Best effort: a leftover scratch object is harmless, a failure here must not hide the answer. */
async function cleanUp(
  client: S3Client,
  bucket: string,
  written: Map<string, string | undefined>,
  uploads: Map<string, string>,
): Promise<void> {
  await Promise.allSettled([
    ...[...written].map(([key, versionId]) =>
      client.send(
        new DeleteObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(versionId && versionId !== 'null' ? { VersionId: versionId } : {}),
        }),
      ),
    ),
    ...[...uploads].map(([key, uploadId]) =>
      client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
      ),
    ),
  ]);
}

function cannotProbe(bucket: string, error: unknown): ChecksumProbeError {
  return new ChecksumProbeError(
    `Could not try uploads in bucket "${bucket}" to find the checksum mode: ${describeS3Error(error)}.`,
  );
}
