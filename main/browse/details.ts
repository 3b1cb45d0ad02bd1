import { GetObjectTaggingCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectDetails } from '../../preload/contract';
import { describeS3Error } from '../transfer/errors';
import { archiveStatus } from './archive';
import { bucketVersioning } from './listing';

/**
 * What the details pane shows: one HEAD, the tags and the bucket's versioning, asked together.
 * Tags are optional: stores without tagging, or credentials that may not read it, say why.
 */
export async function objectDetails(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<ObjectDetails> {
  const [head, tagging, versioning] = await Promise.all([
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
    client
      .send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))
      .then((response): ObjectDetails['tags'] => ({
        available: true,
        tags: Object.fromEntries((response.TagSet ?? []).map((tag) => [tag.Key!, tag.Value ?? ''])),
      }))
      .catch((error: unknown): ObjectDetails['tags'] => ({
        available: false,
        reason: describeS3Error(error),
      })),
    bucketVersioning(client, bucket),
  ]);
  const storageClass = head.StorageClass ?? 'STANDARD';
  return {
    bucket,
    key,
    size: head.ContentLength ?? 0,
    contentType: head.ContentType ?? null,
    lastModified: head.LastModified?.toISOString() ?? null,
    storageClass,
    etag: head.ETag ?? '',
    versionId: head.VersionId ?? null,
    cacheControl: head.CacheControl ?? null,
    contentDisposition: head.ContentDisposition ?? null,
    serverSideEncryption: head.ServerSideEncryption ?? null,
    metadata: head.Metadata ?? {},
    tags: tagging,
    versioning,
    archive: archiveStatus(storageClass, head.Restore),
  };
}
