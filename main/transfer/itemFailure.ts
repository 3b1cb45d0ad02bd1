import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { explainDeniedByBlockPublicAcls } from './accessDenied';
import { SourceChangedError } from './changeGuard';
import { describeFsError, describeS3Error } from './errors';
import type { BatchOptions, JournalItem, JournalPart } from './journal';
import { explainOptionRefusal } from './optionRefusal';
import { FileChangedError } from './partUploader';

/** A failure whose message is already in plain words. */
export class ItemError extends Error {
  override readonly name = 'ItemError';
}

/** The cause shown on a failed item, in plain words. */
export function describeItemFailure(error: unknown, options: BatchOptions): string {
  const refusal = explainOptionRefusal(error, options.upload);
  if (refusal) return refusal;
  if (
    error instanceof ItemError ||
    error instanceof FileChangedError ||
    error instanceof SourceChangedError
  ) {
    return error.message;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if ((error as NodeJS.ErrnoException).syscall && code && !('$metadata' in (error as object))) {
    return describeFsError(error);
  }
  return describeS3Error(error);
}

/** Paused rather than failed: nothing is lost, and Resume goes on once credentials are renewed. */
export function describeExpiredCredentials(file: JournalItem): string {
  const kept = file.upload?.parts.size ?? 0;
  const keptParts =
    kept === 0 ? '' : `; the ${kept} part${kept === 1 ? '' : 's'} already sent are kept`;
  return `Paused: the credentials expired during the upload. Renew them (sign in again, or update the connection), then resume${keptParts}.`;
}

/**
 * A 403 that the option refusal does not explain may come from the bucket's Block Public Access
 * on stores that refuse writes under it; null when that is not it.
 */
export function explainDenied(
  client: S3Client,
  bucket: string,
  error: unknown,
  options: BatchOptions,
): Promise<string | null> {
  if (explainOptionRefusal(error, options.upload)) return Promise.resolve(null);
  return explainDeniedByBlockPublicAcls(client, bucket, error);
}

/** The ETag S3 computes for a multipart object from its parts' MD5 ETags. */
export function multipartEtag(parts: JournalPart[]): string {
  const digests = [...parts]
    .sort((a, b) => a.n - b.n)
    .map((part) => Buffer.from(part.etag.replace(/"/g, ''), 'hex'));
  return `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${parts.length}`;
}
