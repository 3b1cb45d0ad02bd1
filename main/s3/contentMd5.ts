import type { S3Client } from '@aws-sdk/client-s3';
import { md5Base64 } from './checksums';

/**
 * Commands for which S3 demands an integrity header. The SDK now sends only a CRC32 for them,
 * which Swift, older Ceph and MinIO reject with "Missing required header Content-MD5".
 */
const NEEDS_CONTENT_MD5 = new Set([
  'DeleteObjectsCommand',
  'PutBucketLifecycleConfigurationCommand',
  'PutBucketCorsCommand',
  'PutBucketPolicyCommand',
  'PutObjectLockConfigurationCommand',
  'PutBucketReplicationCommand',
  'PutPublicAccessBlockCommand',
]);

interface SerializedRequest {
  headers: Record<string, string>;
  body?: unknown;
}

export function addContentMd5Where(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as SerializedRequest;
      if (NEEDS_CONTENT_MD5.has(context.commandName ?? '') && request?.headers) {
        const body = request.body;
        const bytes =
          typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? body : null;
        if (bytes && !request.headers['content-md5']) {
          request.headers['content-md5'] = md5Base64(bytes);
        }
      }
      return next(args);
    },
    { step: 'build', name: 'bucketdropContentMd5', priority: 'low' },
  );
}
