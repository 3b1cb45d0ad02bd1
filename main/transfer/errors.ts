/** Plain-words causes for the errors users meet, without stack traces or secrets. */

interface ErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  syscall?: string;
  address?: string;
  port?: number;
  /** The region an S3 error names as the right one. */
  Region?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
}

const FS_CAUSES: Record<string, string> = {
  EACCES: 'permission denied: the file cannot be read',
  EPERM: 'the operating system does not allow reading this file',
  ENOENT: 'the file no longer exists',
  EISDIR: 'it is a folder, not a file',
  ELOOP: 'too many symbolic links',
  EIO: 'the disk reported an input/output error',
  ENOSPC: 'the disk is full',
  EMFILE: 'too many open files',
};

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is the endpoint URL right and the server running?',
  ECONNRESET: 'the server dropped the connection',
  EPIPE: 'the server dropped the connection',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the server name could not be resolved (DNS): check the endpoint URL',
  EAI_AGAIN: 'the server name could not be resolved right now (DNS)',
  EHOSTUNREACH: 'the server is unreachable',
  ENETUNREACH: 'the network is unreachable',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server uses a self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another name",
};

const S3_CAUSES: Record<string, string> = {
  AccessDenied: 'access denied: these credentials may not write to this bucket or key',
  InvalidAccessKeyId: 'the access key ID is not known to the server',
  SignatureDoesNotMatch: 'the secret access key is wrong (signature mismatch)',
  ExpiredToken: 'the session token has expired: sign in again or refresh the credentials',
  TokenRefreshRequired: 'the session token has expired: sign in again or refresh the credentials',
  InvalidToken: 'the session token is not valid',
  RequestTimeTooSkewed: "this computer's clock is too far from the server's: correct the time",
  NoSuchBucket: 'the bucket does not exist',
  NoSuchUpload: 'the multipart upload no longer exists on the server (aborted or expired)',
  PermanentRedirect: 'the bucket is in another region than the one configured',
  AuthorizationHeaderMalformed: 'the request was signed for the wrong region',
  EntityTooLarge: 'the object is larger than the server accepts',
  EntityTooSmall: 'a part is smaller than the server accepts (minimum 5 MiB)',
  InvalidBucketName: 'the bucket name is not valid',
  KeyTooLongError: 'the key is longer than the server accepts',
  SlowDown: 'the server asked to slow down',
  ServiceUnavailable: 'the server is unavailable',
  InternalError: 'the server had an internal error',
  RequestTimeout: 'the connection was idle for too long',
  BadDigest: 'the data was corrupted in transit (checksum mismatch)',
  InvalidDigest: 'the server rejected the checksum',
  NotImplemented: 'the server does not support this feature',
  XAmzContentSHA256Mismatch: 'the data was corrupted in transit (checksum mismatch)',
};

/** The SDK's own credential errors, which reach the window when no connection provides keys. */
const CREDENTIAL_CAUSES: Record<string, string> = {
  CredentialsProviderError:
    'no credentials were found: choose a connection, or set AWS credentials in the environment or ~/.aws',
};

function errorCode(error: unknown): string | undefined {
  const e = error as ErrorLike;
  return e?.Code ?? e?.code ?? e?.name;
}

export function describeFsError(error: unknown): string {
  const code = (error as ErrorLike)?.code;
  return (code && FS_CAUSES[code]) ?? (error as Error)?.message ?? String(error);
}

export function httpStatusOf(error: unknown): number | undefined {
  return (error as ErrorLike)?.$metadata?.httpStatusCode;
}

/**
 * The plain-words cause of an error this app knows (S3, network, filesystem codes and HTTP
 * statuses), or null for anything else, whose message may hold paths or internals.
 */
export function knownErrorCause(error: unknown): string | null {
  const code = errorCode(error);
  const expectedRegion = (error as ErrorLike)?.Region;
  if (code === 'AuthorizationHeaderMalformed' && expectedRegion) {
    return `the request was signed for the wrong region: the server expects ${expectedRegion}, so set that region`;
  }
  if (code && S3_CAUSES[code]) return S3_CAUSES[code];
  if (code && NETWORK_CAUSES[code]) return NETWORK_CAUSES[code];
  if (code && FS_CAUSES[code]) return FS_CAUSES[code];
  if (code && CREDENTIAL_CAUSES[code]) return CREDENTIAL_CAUSES[code];
  const status = httpStatusOf(error);
  if (status === 301 || status === 307) {
    const region = (error as ErrorLike).$response?.headers?.['x-amz-bucket-region'];
    return region
      ? `the bucket is in region ${region}: set that region`
      : 'the bucket is in another region than the one configured';
  }
  if (status === 403) return S3_CAUSES.AccessDenied ?? 'access denied';
  if (status === 404) return 'not found on the server';
  if (status && status >= 500) return `the server failed (HTTP ${status})`;
  if (code === 'TimeoutError') return 'the request timed out';
  return null;
}

export function describeS3Error(error: unknown): string {
  const known = knownErrorCause(error);
  if (known) return known;
  const code = errorCode(error);
  const message = (error as Error)?.message;
  return message && message !== 'UnknownError'
    ? message
    : `unexpected error (${code ?? 'unknown'})`;
}
