import { HeadObjectCommand, RestoreObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RestoreRequest, RestoreStatus } from '../../preload/contract';
import { describeS3Error, httpStatusOf } from '../transfer/errors';

/** A restore failure already in plain words. */
export class RestoreError extends Error {}

function codeOf(error: unknown): string | undefined {
  const e = error as { Code?: string; name?: string };
  return e?.Code ?? e?.name;
}

const CAUSES: Record<string, string> = {
  RestoreAlreadyInProgress: 'a restore is already in progress',
  InvalidObjectState:
    'the object is not in an archive storage class (Glacier Flexible Retrieval or Deep Archive): it can be downloaded directly',
  GlacierExpeditedRetrievalNotAvailable:
    'expedited retrievals are not available right now: choose Standard or Bulk',
  NoSuchKey: 'the object does not exist',
  NotFound: 'the object does not exist',
  AccessDenied: 'access denied: these credentials may not restore this object (s3:RestoreObject)',
  NotImplemented: "this store doesn't support restoring archived objects",
  MalformedXML: 'the store rejected the request (is the number of days between 1 and 30,000?)',
};

function explain(error: unknown, key: string): RestoreError {
  const code = codeOf(error);
  const cause =
    (code && CAUSES[code]) ??
    (httpStatusOf(error) === 501 ? CAUSES.NotImplemented : describeS3Error(error));
  return new RestoreError(`Could not restore ${key}: ${cause}.`);
}

/** Reads the `x-amz-restore` header: `ongoing-request="false", expiry-date="Fri, 21 Dec ..."`. */
export function parseRestoreHeader(header: string | undefined): RestoreStatus['state'] | null {
  if (!header) return null;
  return /ongoing-request="true"/.test(header) ? 'in-progress' : 'restored';
}

function expiryOf(header: string | undefined): string | undefined {
  const match = header ? /expiry-date="([^"]+)"/.exec(header) : null;
  if (!match) return undefined;
  const date = new Date(match[1]!);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Asks S3 to bring an archived object back for `days` days, then reads the object's restore
 * status as it now is. A 200 means a restored copy already existed and its expiry was extended.
 */
export async function requestRestore(
  client: S3Client,
  request: RestoreRequest,
): Promise<RestoreStatus> {
  let status: number | undefined;
  try {
    const response = await client.send(
      new RestoreObjectCommand({
        Bucket: request.bucket,
        Key: request.key,
        RestoreRequest: { Days: request.days, GlacierJobParameters: { Tier: request.tier } },
      }),
    );
    status = response.$metadata.httpStatusCode;
  } catch (error) {
    throw explain(error, request.key);
  }
  let header: string | undefined;
  try {
    header = (
      await client.send(new HeadObjectCommand({ Bucket: request.bucket, Key: request.key }))
    ).Restore;
  } catch {
    header = undefined;
  }
  const state = parseRestoreHeader(header) ?? (status === 200 ? 'restored' : 'in-progress');
  const expiresAt = expiryOf(header);
  return {
    state,
    ...(expiresAt ? { expiresAt } : {}),
    message:
      state === 'restored'
        ? `${request.key} is restored${expiresAt ? ` until ${expiresAt.slice(0, 10)}` : ''}: it can be downloaded now.`
        : `Restore of ${request.key} requested (${request.tier}): it can be downloaded once the restore finishes.`,
  };
}
