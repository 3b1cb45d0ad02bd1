import { describeS3Error } from '../transfer/errors';
import { findAwsProfile } from './awsConfigFiles';
import { accessKeyIdHint } from './secretStore';

/** Turns what went wrong with a connection into a cause and what to fix, in plain words. */

export type ConnectionProblem =
  | 'bad-access-key'
  | 'bad-secret'
  | 'expired-token'
  | 'sso-login-needed'
  | 'no-credentials'
  | 'clock-skew'
  | 'unreachable'
  | 'dns'
  | 'tls'
  | 'wrong-region'
  | 'access-denied'
  | 'no-such-bucket'
  | 'unknown';

export interface Diagnosis {
  problem: ConnectionProblem;
  message: string;
}

/** Where a connection's credentials come from, so that a message can say what to change. */
export type CredentialSource =
  | { kind: 'aws-profile'; awsProfileName: string }
  | { kind: 'environment' }
  | { kind: 'access-key' };

/** Credentials could not be obtained; the message already says what to do. */
export class CredentialsError extends Error {
  constructor(
    readonly problem: ConnectionProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CredentialsError';
  }
}

interface ErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  address?: string;
  port?: number;
  hostname?: string;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
}

export interface RequestContext {
  /** A custom endpoint (S3-compatible store); absent for AWS. */
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  source?: CredentialSource;
}

const TLS_CERTIFICATE_CAUSES: Record<string, string> = {
  CERT_HAS_EXPIRED: 'has expired',
  CERT_NOT_YET_VALID: 'is not valid yet (or this computer’s clock is wrong)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'is issued by a self-signed authority this computer does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'cannot be verified (an intermediate certificate is missing)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'is issued by an authority this computer does not trust',
  ERR_TLS_CERT_ALTNAME_INVALID: 'is for another name than the one in the endpoint URL',
};

const EXPIRED_TOKEN_CODES = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'InvalidToken',
]);

function codeOf(error: unknown): string | undefined {
  const e = error as ErrorLike;
  // Connecting to a name with several addresses fails with an AggregateError of the attempts.
  const inner = Array.isArray(e?.errors) ? (e.errors[0] as ErrorLike | undefined) : undefined;
  return e?.Code ?? e?.code ?? inner?.code ?? e?.name;
}

function serverName(error: ErrorLike, context: RequestContext, fallback?: string): string {
  if (error.address) return error.port ? `${error.address}:${error.port}` : error.address;
  if (error.hostname) return error.hostname;
  if (fallback) return fallback;
  if (context.endpoint) {
    try {
      return new URL(context.endpoint).host;
    } catch {
      return context.endpoint;
    }
  }
  return `the AWS S3 endpoint of region ${context.region}`;
}

function keyHint(context: RequestContext): string {
  return context.accessKeyId ? ` ${accessKeyIdHint(context.accessKeyId)}` : '';
}

function minutesApart(error: ErrorLike): string | undefined {
  const date = error.$response?.headers?.date;
  const serverTime = date ? Date.parse(date) : NaN;
  if (Number.isNaN(serverTime)) return undefined;
  const skewMs = Date.now() - serverTime;
  const minutes = Math.round(Math.abs(skewMs) / 60_000);
  if (minutes < 1) return undefined;
  const amount =
    minutes < 120
      ? `${minutes} minute${minutes === 1 ? '' : 's'}`
      : `${Math.round(minutes / 60)} hours`;
  return `${amount} ${skewMs > 0 ? 'ahead of' : 'behind'}`;
}

function expiredTokenMessage(source: CredentialSource | undefined): string {
  switch (source?.kind) {
    case 'aws-profile':
      return (
        `The temporary credentials of AWS profile "${source.awsProfileName}" have expired or are ` +
        'not valid: refresh them (run again whatever issued them) and test again.'
      );
    case 'environment':
      return (
        'The session token in the environment (AWS_SESSION_TOKEN) has expired or is not valid: ' +
        'refresh the environment’s temporary credentials, or unset AWS_SESSION_TOKEN for a ' +
        'permanent key.'
      );
    default:
      return (
        'The session token has expired or is not valid: enter fresh temporary credentials (key ID, ' +
        'secret and session token), or clear the session token if the key is a permanent one.'
      );
  }
}

/** Network failures: the same causes whether the request went to S3, STS or SSO. */
function diagnoseNetwork(
  error: ErrorLike,
  code: string,
  context: RequestContext,
  fallbackName?: string,
) {
  const where = serverName(error, context, fallbackName);
  switch (code) {
    case 'ECONNREFUSED':
      return {
        problem: 'unreachable' as const,
        message: `Nothing answered at ${where} (connection refused): check the endpoint URL and its port, and that the server is running.`,
      };
    case 'ETIMEDOUT':
    case 'TimeoutError':
    case 'ECONNABORTED':
      return {
        problem: 'unreachable' as const,
        message: `${where} did not answer in time: check the endpoint URL, your network connection, and any firewall or proxy.`,
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return {
        problem: 'unreachable' as const,
        message: `${where} cannot be reached from this network: check your network connection and the endpoint URL.`,
      };
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        problem: 'unreachable' as const,
        message: `${where} closed the connection: check that the endpoint URL’s scheme (http or https) and port are the server’s.`,
      };
    case 'ENOTFOUND':
      return {
        problem: 'dns' as const,
        message: context.endpoint
          ? `The server name ${error.hostname ?? where} could not be found (DNS): check the endpoint URL for typos.`
          : `The AWS address ${error.hostname ?? where} could not be found (DNS): check the region name and your internet connection.`,
      };
    case 'EAI_AGAIN':
      return {
        problem: 'dns' as const,
        message: `The server name ${error.hostname ?? where} could not be looked up right now (DNS): check your network connection and try again.`,
      };
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    return {
      problem: 'tls' as const,
      message: /wrong version number|packet length too long|http request/i.test(error.message ?? '')
        ? `${where} did not answer with TLS: if the server uses plain HTTP, start the endpoint URL with http:// instead of https://.`
        : `The secure (TLS) connection to ${where} failed: check that the endpoint URL’s scheme and port are the server’s.`,
    };
  }
  const certificate = TLS_CERTIFICATE_CAUSES[code];
  if (certificate) {
    return {
      problem: 'tls' as const,
      message: `The TLS certificate of ${where} ${certificate}: fix the server’s certificate, or make this computer trust its authority (NODE_EXTRA_CA_CERTS).`,
    };
  }
  return undefined;
}

/** Causes of a failed S3 request, once credentials were at hand. */
export function diagnoseRequestError(error: unknown, context: RequestContext): Diagnosis {
  const e = (error ?? {}) as ErrorLike;
  if (error instanceof CredentialsError) return { problem: error.problem, message: error.message };
  const code = codeOf(error) ?? '';
  const network = diagnoseNetwork(e, code, context);
  if (network) return network;
  if (code === 'InvalidAccessKeyId') {
    return {
      problem: 'bad-access-key',
      message: `The server does not know the access key ID${keyHint(context)}: check the key ID, and that it belongs to ${context.endpoint ? 'an account on this server' : 'this AWS account'} and has not been deleted or deactivated.`,
    };
  }
  if (code === 'SignatureDoesNotMatch') {
    return {
      problem: 'bad-secret',
      message: context.endpoint
        ? // Swift and Ceph answer an unknown key ID with this code too, so both may be wrong.
          `The server did not accept the access key ID${keyHint(context)} and the secret together (signature mismatch): check both. This server answers the same way for an unknown key ID and for a wrong secret.`
        : `The secret access key does not match the access key ID${keyHint(context)} (signature mismatch): enter the secret again.`,
    };
  }
  if (EXPIRED_TOKEN_CODES.has(code)) {
    return { problem: 'expired-token', message: expiredTokenMessage(context.source) };
  }
  if (code === 'RequestTimeTooSkewed') {
    const apart = minutesApart(e);
    return {
      problem: 'clock-skew',
      message: apart
        ? `This computer’s clock is ${apart} the server’s, and requests signed with a wrong time are refused: set the correct time (turn on automatic date and time) and test again.`
        : 'This computer’s clock differs too much from the server’s, and requests signed with a wrong time are refused: set the correct time (turn on automatic date and time) and test again.',
    };
  }
  if (code === 'AccessDenied' || code === 'AllAccessDisabled') {
    return {
      problem: 'access-denied',
      message: 'Access denied: these credentials are not allowed to do this.',
    };
  }
  if (code === 'NoSuchBucket') {
    return { problem: 'no-such-bucket', message: 'The bucket does not exist.' };
  }
  if (code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed') {
    return {
      problem: 'wrong-region',
      message: `The server expects another region than ${context.region}: set the region the bucket was created in.`,
    };
  }
  return { problem: 'unknown', message: `Unexpected error: ${describeS3Error(error)}.` };
}

// The SDK's words for a missing, expired or revoked SSO token (it has no error codes for them).
const SSO_TOKEN_MESSAGE =
  /aws sso login|SSO session.*(expired|invalid)|SSO Token|UnauthorizedException/i;

/** Why credentials could not be obtained from a source, and what to do about it. */
export async function diagnoseCredentialError(
  error: unknown,
  source: CredentialSource,
): Promise<Diagnosis> {
  if (error instanceof CredentialsError) return { problem: error.problem, message: error.message };
  const e = (error ?? {}) as ErrorLike;
  const code = codeOf(error) ?? '';
  const profileName =
    source.kind === 'aws-profile' ? source.awsProfileName : process.env.AWS_PROFILE || 'default';
  if (SSO_TOKEN_MESSAGE.test(`${code} ${e.message ?? ''}`)) {
    const ssoProfile = (await findAwsProfile(profileName))?.ssoProfile ?? profileName;
    return {
      problem: 'sso-login-needed',
      message: `Your AWS SSO session for profile ${ssoProfile} has expired or was never started: run \`aws sso login --profile ${ssoProfile}\`, then test again.`,
    };
  }
  const network = diagnoseNetwork(e, code, { region: '' }, 'the AWS sign-in service');
  const detail = network?.message ?? firstLines(e.message ?? String(error));
  if (source.kind === 'environment') {
    return {
      problem: network?.problem ?? 'no-credentials',
      message: /Could not load credentials from any providers/i.test(e.message ?? '')
        ? 'No credentials were found in the environment: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or choose an AWS profile or an access key for this connection.'
        : `Could not get credentials from the environment: ${detail}`,
    };
  }
  if (source.kind === 'aws-profile') {
    const profile = await findAwsProfile(profileName);
    const what =
      profile?.kind === 'assume-role'
        ? `assume the role of AWS profile "${profileName}"`
        : profile?.kind === 'process'
          ? `run the credential_process of AWS profile "${profileName}"`
          : `get credentials from AWS profile "${profileName}"`;
    return {
      problem: network?.problem ?? 'no-credentials',
      message: `Could not ${what}: ${detail}`,
    };
  }
  return { problem: 'no-credentials', message: detail };
}

/** SDK messages can run long (a failed command's whole output); two lines say enough. */
function firstLines(text: string): string {
  const short = text.trim().split('\n').slice(0, 2).join(' ').trim();
  return short.length > 300 ? `${short.slice(0, 299)}…` : short;
}
