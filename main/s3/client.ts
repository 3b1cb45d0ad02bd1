import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ChecksumMode } from './checksums';
import { addContentMd5Where } from './contentMd5';
import { assertEndpointTransport } from './endpointSecurity';

export interface ConnectionSettings {
  region?: string;
  /** For S3-compatible stores; AWS_ENDPOINT_URL is used when absent. */
  endpoint?: string;
  forcePathStyle?: boolean;
  checksumMode: ChecksumMode;
  profile?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Sockets to keep: parts in flight plus a few for listings and HEADs. */
  maxSockets: number;
  /** A connection that sends or receives nothing for this long is dropped and retried. */
  idleTimeoutMs?: number;
  /** The user acknowledged plain http to a private address (never allowed to a public one). */
  allowUnencrypted?: boolean;
  /** A PEM CA certificate trusted besides the system's, for a self-signed MinIO or Ceph. */
  caCertificate?: string;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * One client per connection, with an HTTP agent sized to the scheduler's limits: the SDK's
 * default of 50 sockets either wastes connections or queues parts behind a warning.
 */
export function createS3Client(settings: ConnectionSettings): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: settings.maxSockets };
  const endpoint =
    settings.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint) assertEndpointTransport(endpoint, settings.allowUnencrypted ?? false);
  const client = new S3Client({
    region:
      settings.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    // S3-compatible stores rarely have wildcard DNS for virtual-hosted buckets.
    forcePathStyle: settings.forcePathStyle ?? Boolean(endpoint),
    credentials:
      settings.credentials ??
      fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {}),
    requestChecksumCalculation: settings.checksumMode,
    responseChecksumValidation: settings.checksumMode,
    // The engine retries with its own backoff so it can count retries and resume parts.
    maxAttempts: 1,
    // By default the SDK sends `Expect: 100-continue` on bodies of 2 MiB or more, but it waits
    // for the server's 100 only with agents it creates itself; with ours it writes the body at
    // once. Ceph RGW answers a part refused under BlockPublicAcls with 403 before reading the
    // body and closes the connection, so the body's write often fails (EPIPE) and the client
    // retries a dropped connection instead of failing on the 403. Waiting for the 100 would need
    // the SDK's agents, which for those requests drop our socket limit, keep-alive and CA
    // certificate. Without the header RGW reads the body and answers the 403 every time.
    expectContinueHeader: false,
    requestHandler: new NodeHttpHandler({
      httpAgent: new http.Agent(agentOptions),
      httpsAgent: new https.Agent({
        ...agentOptions,
        // Node's `ca` replaces the system's roots, so the extra certificate joins them.
        ...(settings.caCertificate
          ? { ca: [...tls.rootCertificates, settings.caCertificate] }
          : {}),
      }),
      connectionTimeout: 10_000,
      socketTimeout: settings.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    }),
  });
  addContentMd5Where(client);
  return client;
}

/**
 * A client that signs URLs as `client` would, but adds no checksum of its own: with the SDK's
 * default (WHEN_SUPPORTED, SDK ≥ 3.729) a presigned PUT carries the CRC32 of an empty body
 * (`x-amz-checksum-crc32=AAAAAA==`), which every store that checks it refuses for any real
 * upload, and a presigned GET asks for checksum mode. Links are signed with WHEN_REQUIRED.
 */
export function presigningClient(client: S3Client): S3Client {
  const config = client.config;
  return new S3Client({
    region: config.region,
    credentials: config.credentials,
    forcePathStyle: config.forcePathStyle,
    ...(config.isCustomEndpoint && config.endpoint ? { endpoint: config.endpoint } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
