import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ShareLinks } from '../../preload/contract';
import { presigningClient } from '../s3/client';

/** SigV4 refuses presigned URLs that live longer than 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** A key as a URL path: every byte but the unreserved ones and `/` percent-encoded (RFC 3986). */
export function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

export interface EndpointParts {
  protocol: string;
  hostname: string;
  port?: number;
  path?: string;
}

/** The two S3 addresses of an object: `bucket.host/key` and `host/bucket/key`. */
export function objectUrls(
  endpoint: EndpointParts | null,
  region: string,
  bucket: string,
  key: string,
): { virtualHosted: string; pathStyle: string } {
  const path = encodeKeyPath(key);
  if (!endpoint) {
    const host = region === 'us-east-1' ? 's3.amazonaws.com' : `s3.${region}.amazonaws.com`;
    return {
      virtualHosted: `https://${bucket}.${host}/${path}`,
      pathStyle: `https://${host}/${bucket}/${path}`,
    };
  }
  const protocol = endpoint.protocol.endsWith(':') ? endpoint.protocol : `${endpoint.protocol}:`;
  const port = endpoint.port ? `:${endpoint.port}` : '';
  const base = (endpoint.path ?? '').replace(/\/+$/, '');
  return {
    virtualHosted: `${protocol}//${bucket}.${endpoint.hostname}${port}${base}/${path}`,
    pathStyle: `${protocol}//${endpoint.hostname}${port}${base}/${bucket}/${path}`,
  };
}

export function cloudFrontUrl(domain: string, key: string): string {
  const host = domain.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return `https://${host}/${encodeKeyPath(key)}`;
}

export interface PresignOptions {
  method?: 'GET' | 'PUT';
  expiresInSeconds: number;
  now?: Date;
}

/**
 * A presigned URL and when it really stops working. Session credentials sign it too, so the link
 * dies with them: the life is capped at their expiry, and `limitedBy` says so.
 */
export async function presign(
  client: S3Client,
  bucket: string,
  key: string,
  options: PresignOptions,
): Promise<ShareLinks['presigned']> {
  const now = options.now ?? new Date();
  const requested = Math.min(
    Math.max(1, Math.floor(options.expiresInSeconds)),
    MAX_PRESIGN_SECONDS,
  );
  const credentials = await client.config.credentials();
  let seconds = requested;
  let limitedBy: ShareLinks['presigned']['limitedBy'];
  if (credentials.sessionToken) {
    const expiration = credentials.expiration;
    if (!expiration) limitedBy = 'session-unknown';
    else {
      const left = Math.floor((expiration.getTime() - now.getTime()) / 1000);
      if (left < requested) {
        seconds = Math.max(1, left);
        limitedBy = 'session-expiry';
      }
    }
  }
  const command =
    options.method === 'PUT'
      ? new PutObjectCommand({ Bucket: bucket, Key: key })
      : new GetObjectCommand({ Bucket: bucket, Key: key });
  const signer = presigningClient(client);
  const url = await getSignedUrl(signer, command, { expiresIn: seconds, signingDate: now }).finally(
    () => signer.destroy(),
  );
  return {
    url,
    expiresAt: new Date(now.getTime() + seconds * 1000).toISOString(),
    ...(limitedBy ? { limitedBy } : {}),
  };
}

/** Every link kind for one object, as the "Copy link" dialog offers them. */
export async function shareLinks(
  client: S3Client,
  bucket: string,
  key: string,
  options: { expiresInSeconds: number; cloudFrontDomain?: string },
): Promise<ShareLinks> {
  const endpoint = client.config.endpoint ? await client.config.endpoint() : null;
  const region = await client.config.region();
  return {
    ...objectUrls(endpoint, region, bucket, key),
    cloudFront: options.cloudFrontDomain ? cloudFrontUrl(options.cloudFrontDomain, key) : null,
    presigned: await presign(client, bucket, key, { expiresInSeconds: options.expiresInSeconds }),
  };
}
