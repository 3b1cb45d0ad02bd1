import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { addContentMd5Where } from '../../main/s3/contentMd5';
import { checkingClient, type LocalS3 } from '../support/s3env';

// Bounds every listing loop: far above what one run leaves behind.
const MAX_PAGES = 200;

/** The checking client, plus Content-MD5 on DeleteObjects, which Swift insists on. */
export function benchClient(s3: LocalS3): S3Client {
  const client = checkingClient(s3);
  addContentMd5Where(client);
  return client;
}

export interface BucketContents {
  objects: number;
  bytes: number;
  incompleteUploads: number;
}

async function listObjects(client: S3Client, bucket: string) {
  const objects: Array<{ key: string; size: number }> = [];
  let ContinuationToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }),
    );
    for (const object of response.Contents ?? []) {
      objects.push({ key: object.Key!, size: object.Size ?? 0 });
    }
    if (!response.IsTruncated) return objects;
    ContinuationToken = response.NextContinuationToken;
  }
  throw new Error(`more than ${MAX_PAGES} pages of objects in ${bucket}`);
}

async function listUploads(client: S3Client, bucket: string) {
  const response = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (response.Uploads ?? []).map((upload) => ({ key: upload.Key!, id: upload.UploadId! }));
}

export async function bucketContents(client: S3Client, bucket: string): Promise<BucketContents> {
  const objects = await listObjects(client, bucket);
  return {
    objects: objects.length,
    bytes: objects.reduce((sum, object) => sum + object.size, 0),
    incompleteUploads: (await listUploads(client, bucket)).length,
  };
}

/** Empties and deletes a run's bucket so Swift's data folder does not grow by gigabytes a run. */
export async function dropBucket(client: S3Client, bucket: string): Promise<void> {
  for (const upload of await listUploads(client, bucket)) {
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.key, UploadId: upload.id }),
    );
  }
  const keys = (await listObjects(client, bucket)).map((object) => object.key);
  for (let start = 0; start < keys.length; start += 1000) {
    const response = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.slice(start, start + 1000).map((Key) => ({ Key })), Quiet: true },
      }),
    );
    if (response.Errors?.length) {
      const first = response.Errors[0]!;
      throw new Error(`deleting from ${bucket}: ${first.Code} ${first.Message} (${first.Key})`);
    }
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/**
 * A presigned single PUT. Presigned URLs sign UNSIGNED-PAYLOAD, so the uploader hashes nothing:
 * the fastest a single stream can get through the server.
 */
export function presignedPut(client: S3Client, bucket: string, key: string): Promise<string> {
  return getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: 3600,
  });
}
