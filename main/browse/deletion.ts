import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DeleteReport } from '../../preload/contract';
import { describeS3Error } from '../transfer/errors';
import { keysUnder } from './listing';

/** DeleteObjects takes at most 1,000 keys per request. */
export const DELETE_BATCH = 1000;

/**
 * Deletes keys, and everything under the given prefixes, 1,000 per request. Each key that
 * fails is named with its cause; a failed request fails all of its keys with that cause.
 */
export async function deleteObjects(
  client: S3Client,
  bucket: string,
  keys: string[],
  prefixes: string[],
  onProgress?: (deleted: number) => void,
): Promise<DeleteReport> {
  const report: DeleteReport = { deleted: 0, failures: [] };
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    try {
      const response = await client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: sent.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const errors = response.Errors ?? [];
      for (const error of errors) {
        report.failures.push({
          key: error.Key ?? '(unknown key)',
          message: error.Code ? describeS3Error({ Code: error.Code }) : (error.Message ?? 'failed'),
        });
      }
      report.deleted += sent.length - errors.length;
    } catch (error) {
      const message = describeS3Error(error);
      for (const key of sent) report.failures.push({ key, message });
    }
    onProgress?.(report.deleted);
  };
  const add = async (key: string) => {
    batch.push(key);
    if (batch.length >= DELETE_BATCH) await flush();
  };
  for (const key of new Set(keys)) await add(key);
  for (const prefix of new Set(prefixes)) {
    try {
      for await (const object of keysUnder(client, bucket, prefix)) await add(object.key);
    } catch (error) {
      report.failures.push({
        key: prefix,
        message: `could not list the folder: ${describeS3Error(error)}`,
      });
    }
  }
  await flush();
  return report;
}
