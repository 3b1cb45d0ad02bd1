import type { ConnectionTestResult as ContractTestResult } from '../../preload/contract';
import {
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { type ConnectionSettings, createS3Client } from '../s3/client';
import { assertEndpointTransport, UnencryptedEndpointError } from '../s3/endpointSecurity';
import { httpStatusOf } from '../transfer/errors';
import {
  type ConnectionProblem,
  type CredentialSource,
  type Diagnosis,
  diagnoseCredentialError,
  diagnoseRequestError,
  type RequestContext,
} from './problems';
import type { ProfileSettings } from './resolve';

/** The contract's result, with the problem narrowed to the ones diagnosed here. */
export type ConnectionTestResult =
  | Extract<ContractTestResult, { ok: true }>
  | { ok: false; problem: ConnectionProblem; message: string; detectedRegion?: string };

export interface ConnectionTestOptions {
  bucket?: string;
  /** Where the credentials come from, so messages can say what to change. */
  source?: CredentialSource;
}

type Outcome =
  | { kind: 'ok'; buckets?: string[]; bucketRegion?: string }
  | { kind: 'region'; region?: string }
  | { kind: 'fail'; diagnosis: Diagnosis };

interface ErrorLike {
  name?: string;
  Code?: string;
  Region?: string;
  $response?: { headers?: Record<string, string> };
}

const REGION_CODES = new Set([
  'AuthorizationHeaderMalformed',
  'PermanentRedirect',
  'IllegalLocationConstraintException',
]);

/** AWS names the right region in a header; Swift, Ceph and MinIO in the error body. */
function regionHint(error: unknown): string | undefined {
  const e = error as ErrorLike;
  return e?.$response?.headers?.['x-amz-bucket-region'] ?? e?.Region;
}

function isRegionError(error: unknown): boolean {
  const e = error as ErrorLike;
  const status = httpStatusOf(error);
  return (
    REGION_CODES.has(e?.Code ?? e?.name ?? '') ||
    status === 301 ||
    status === 307 ||
    (status === 400 && regionHint(error) !== undefined)
  );
}

function defaultSource(settings: ProfileSettings): CredentialSource {
  if (settings.profile) return { kind: 'aws-profile', awsProfileName: settings.profile };
  if (settings.credentials && typeof settings.credentials !== 'function') {
    return { kind: 'access-key' };
  }
  return { kind: 'environment' };
}

async function resolveIdentity(settings: ProfileSettings) {
  const { credentials } = settings;
  if (credentials === undefined) {
    return fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {})();
  }
  return typeof credentials === 'function' ? credentials() : credentials;
}

function quoted(bucket: string): string {
  return `"${bucket}"`;
}

function noSuchBucket(bucket: string, context: RequestContext): Outcome {
  return {
    kind: 'fail',
    diagnosis: {
      problem: 'no-such-bucket',
      message: `Bucket ${quoted(bucket)} does not exist ${context.endpoint ? 'on this server' : 'in AWS'}: check its name, and that it belongs to the account of these credentials.`,
    },
  };
}

function bucketDenied(bucket: string): Outcome {
  return {
    kind: 'fail',
    diagnosis: {
      problem: 'access-denied',
      message: `These credentials may not use bucket ${quoted(bucket)} (access denied): give them read and write access to it, or choose another bucket.`,
    },
  };
}

/** HEAD answers carry no error body; a listing of the same bucket says what was wrong. */
async function explainBucketError(
  client: S3Client,
  bucket: string,
  headError: unknown,
  context: RequestContext,
): Promise<Outcome> {
  if (httpStatusOf(headError) === 404) return noSuchBucket(bucket, context);
  if (isRegionError(headError) && regionHint(headError)) {
    return { kind: 'region', region: regionHint(headError) };
  }
  try {
    await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
  } catch (listError) {
    if (isRegionError(listError)) return { kind: 'region', region: regionHint(listError) };
    const diagnosis = diagnoseRequestError(listError, context);
    const bareDenial = diagnosis.problem === 'unknown' && httpStatusOf(listError) === 403;
    if (diagnosis.problem === 'access-denied' || bareDenial) return bucketDenied(bucket);
    if (diagnosis.problem === 'no-such-bucket') return noSuchBucket(bucket, context);
    return { kind: 'fail', diagnosis };
  }
  // The listing worked where the HEAD did not: only the HEAD's own status is left to go by.
  if (httpStatusOf(headError) === 403) return bucketDenied(bucket);
  return { kind: 'fail', diagnosis: diagnoseRequestError(headError, context) };
}

async function attempt(
  settings: ProfileSettings,
  region: string,
  options: ConnectionTestOptions,
  context: RequestContext,
): Promise<Outcome> {
  const client = createS3Client({ ...settings, region, maxSockets: 2, idleTimeoutMs: 15_000 });
  try {
    let buckets: string[] | undefined;
    try {
      const listing = await client.send(new ListBucketsCommand({}));
      buckets = (listing.Buckets ?? []).flatMap((bucket) => (bucket.Name ? [bucket.Name] : []));
    } catch (error) {
      if (isRegionError(error)) return { kind: 'region', region: regionHint(error) };
      const diagnosis = diagnoseRequestError(error, context);
      // Denied listing still proves the key and secret: the server checked the signature.
      if (diagnosis.problem !== 'access-denied') return { kind: 'fail', diagnosis };
    }
    if (!options.bucket) return { kind: 'ok', ...(buckets ? { buckets } : {}) };
    try {
      const head = await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
      return {
        kind: 'ok',
        ...(buckets ? { buckets } : {}),
        ...(head.BucketRegion ? { bucketRegion: head.BucketRegion } : {}),
      };
    } catch (error) {
      return explainBucketError(client, options.bucket, error, context);
    }
  } finally {
    client.destroy();
  }
}

function successMessage(
  options: ConnectionTestOptions,
  outcome: Extract<Outcome, { kind: 'ok' }>,
  configuredRegion: string,
  detectedRegion: string | undefined,
): string {
  const { bucket } = options;
  let message: string;
  if (bucket) {
    message = outcome.buckets
      ? `Connected: bucket ${quoted(bucket)} is reachable.`
      : `Connected: bucket ${quoted(bucket)} is reachable (these credentials may not list all buckets, which is fine).`;
  } else if (!outcome.buckets) {
    message =
      'Connected, but these credentials may not list buckets: type the name of the bucket to use and test again.';
  } else {
    const count = outcome.buckets.length;
    message = `Connected: ${count === 0 ? 'no buckets yet' : `${count} bucket${count === 1 ? '' : 's'}`}.`;
  }
  if (!detectedRegion) return message;
  return bucket
    ? `${message} It is in region ${detectedRegion}, not ${configuredRegion}.`
    : `${message} The server expects region ${detectedRegion}, not ${configuredRegion}: set the region to ${detectedRegion}.`;
}

/**
 * Checks credentials, endpoint and region the way an upload would meet them, and says what
 * to fix when something is wrong. A wrong region is corrected by asking the server.
 */
export async function testConnection(
  settings: ProfileSettings | ConnectionSettings,
  options: ConnectionTestOptions = {},
): Promise<ConnectionTestResult> {
  const source = options.source ?? defaultSource(settings);
  // The same fallbacks as createS3Client's, so that messages name the server actually asked.
  const endpoint =
    settings.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  try {
    if (endpoint) assertEndpointTransport(endpoint, settings.allowUnencrypted ?? false);
  } catch (error) {
    if (error instanceof UnencryptedEndpointError) {
      return { ok: false, problem: 'tls', message: error.message };
    }
    throw error;
  }
  let identity;
  try {
    identity = await resolveIdentity(settings);
  } catch (error) {
    return { ok: false, ...(await diagnoseCredentialError(error, source)) };
  }
  const resolved: ProfileSettings = { ...settings, credentials: identity };
  // Asking a client keeps createS3Client the one place that knows the region fallbacks.
  const regionClient = createS3Client({ ...resolved, maxSockets: 1 });
  const configuredRegion = await regionClient.config.region();
  regionClient.destroy();
  const context: RequestContext = {
    ...(endpoint ? { endpoint } : {}),
    region: configuredRegion,
    accessKeyId: identity.accessKeyId,
    source,
  };
  let region = configuredRegion;
  let outcome = await attempt(resolved, region, options, context);
  // Twice at most: the endpoint may want one region for listing and the bucket live in another.
  for (let retry = 0; retry < 2; retry++) {
    if (outcome.kind !== 'region' || !outcome.region || outcome.region === region) break;
    region = outcome.region;
    outcome = await attempt(resolved, region, options, { ...context, region });
  }
  if (outcome.kind === 'region') {
    return {
      ok: false,
      problem: 'wrong-region',
      message: outcome.region
        ? `The server expects region ${outcome.region}, but requests signed for it failed too: check the endpoint URL and region.`
        : `${options.bucket ? `Bucket ${quoted(options.bucket)} is` : 'The server is'} in another region than ${configuredRegion}, and did not say which: set the region the bucket was created in.`,
      ...(outcome.region ? { detectedRegion: outcome.region } : {}),
    };
  }
  const detectedRegion = region !== configuredRegion ? region : undefined;
  if (outcome.kind === 'fail') {
    return { ok: false, ...outcome.diagnosis, ...(detectedRegion ? { detectedRegion } : {}) };
  }
  const workingRegion = outcome.bucketRegion ?? region;
  const reportedRegion = workingRegion !== configuredRegion ? workingRegion : undefined;
  return {
    ok: true,
    message: successMessage(options, outcome, configuredRegion, reportedRegion),
    ...(outcome.buckets ? { buckets: outcome.buckets } : { listBucketsDenied: true }),
    region: workingRegion,
    ...(reportedRegion ? { detectedRegion: reportedRegion } : {}),
  };
}
