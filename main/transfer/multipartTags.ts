import {
  GetObjectTaggingCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { KeyValue } from '../../preload/contract';
import { describeS3Error } from './errors';

function sameTags(stored: KeyValue[], wanted: KeyValue[]): boolean {
  const byKey = new Map(stored.map((tag) => [tag.key, tag.value]));
  return stored.length === wanted.length && wanted.every((tag) => byKey.get(tag.key) === tag.value);
}

/**
 * Some stores (Ceph RGW 16) accept tags on CreateMultipartUpload and drop them on completion.
 * After a tagged multipart upload the object's tags are read back; missing ones are written
 * with PutObjectTagging. Returns a note for the item when the tags could not be made right.
 */
export async function ensureMultipartTags(
  client: S3Client,
  bucket: string,
  key: string,
  tags: KeyValue[],
  signal: AbortSignal,
): Promise<string | null> {
  try {
    const stored = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }), {
      abortSignal: signal,
    });
    const storedTags = (stored.TagSet ?? []).map((tag) => ({
      key: tag.Key ?? '',
      value: tag.Value ?? '',
    }));
    if (sameTags(storedTags, tags)) return null;
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: key,
        ...(stored.VersionId ? { VersionId: stored.VersionId } : {}),
        Tagging: { TagSet: tags.map((tag) => ({ Key: tag.key, Value: tag.value })) },
      }),
      { abortSignal: signal },
    );
    return null;
  } catch (error) {
    signal.throwIfAborted();
    return `uploaded, but without its tags: the store dropped them from the multipart upload and writing them afterwards failed (${describeS3Error(error)})`;
  }
}
