import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeS3Error, httpStatusOf } from '../transfer/errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from '../transfer/retry';

/**
 * Asks once, before the first file, whether the bucket is there and reachable, so a missing or
 * misspelt bucket is one message rather than the same failure for each of 10,000 files. Returns
 * the problem in plain words, or null when uploading may go ahead. Credentials that may write but
 * not list (403 to HeadBucket) go ahead: each file will say if writing is refused too.
 */
export async function bucketProblem(
  client: S3Client,
  bucket: string,
  retry: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<string | null> {
  try {
    // A 500 or a dropped connection is retried as an upload's requests are: it is not an answer.
    await withRetry(
      () => client.send(new HeadBucketCommand({ Bucket: bucket })),
      retry,
      undefined,
      () => {},
    );
    return null;
  } catch (error) {
    const status = httpStatusOf(error);
    const name = (error as { name?: string }).name;
    if (status === 403) return null;
    if (status === 404 || name === 'NoSuchBucket' || name === 'NotFound') {
      return `the bucket "${bucket}" does not exist`;
    }
    if (status === 400 || name === 'InvalidBucketName') {
      return `the bucket name "${bucket}" is not valid`;
    }
    const cause = describeS3Error(error);
    return status === undefined
      ? `the bucket "${bucket}" cannot be reached: ${cause}`
      : `the bucket "${bucket}" cannot be used: ${cause}`;
  }
}
