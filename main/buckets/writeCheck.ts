import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BucketSetupStep } from '../../preload/contract';
import { describeS3Error, httpStatusOf } from '../transfer/errors';

const PROBE_PREFIX = '.bucketdrop-write-check/';
const PROBE_BODY = Buffer.from('Bucketdrop write check: safe to delete.\n');

/** Block Public Access without BlockPublicAcls, for stores that refuse every write under it. */
export const BLOCK_PUBLIC_ACCESS_BUT_ACLS = {
  BlockPublicAcls: false,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/**
 * Puts a probe object and removes it again (by version, so a versioned bucket keeps no trace).
 * Returns the error of the PUT, or null when the bucket took the write.
 */
async function probeWrite(client: S3Client, bucket: string): Promise<unknown> {
  const key = `${PROBE_PREFIX}${Date.now()}-${randomBytes(4).toString('hex')}`;
  let versionId: string | undefined;
  try {
    versionId = (
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: PROBE_BODY }))
    ).VersionId;
  } catch (error) {
    return error;
  }
  await client
    .send(
      new DeleteObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(versionId && versionId !== 'null' ? { VersionId: versionId } : {}),
      }),
    )
    .catch(() => undefined);
  return null;
}

/**
 * Proves that a new bucket takes uploads, so that `mb` never reports success for a bucket whose
 * first upload fails. Some stores (Ceph RGW 16) refuse every PutObject, ACL or not, while
 * BlockPublicAcls is on: there the other three Block Public Access settings are kept, public ACLs
 * are ignored rather than refused, and the Block Public Access step says so.
 */
export async function checkBucketTakesWrites(
  client: S3Client,
  bucket: string,
  steps: BucketSetupStep[],
): Promise<void> {
  const failed = await probeWrite(client, bucket);
  if (failed === null) {
    steps.push({
      step: 'write-check',
      ok: true,
      message: 'A test object was written and removed: the bucket takes uploads.',
    });
    return;
  }
  const blockStep = steps.find((step) => step.step === 'block-public-access' && step.ok);
  if (httpStatusOf(failed) === 403 && blockStep) {
    const retried = await client
      .send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket,
          PublicAccessBlockConfiguration: BLOCK_PUBLIC_ACCESS_BUT_ACLS,
        }),
      )
      .then(() => probeWrite(client, bucket))
      .catch((error: unknown) => error);
    if (retried === null) {
      blockStep.message =
        'Block Public Access is on, except BlockPublicAcls: this store refuses every upload while BlockPublicAcls is on, so public ACLs are ignored (IgnorePublicAcls) instead of refused. BlockPublicPolicy and RestrictPublicBuckets are on.';
      steps.push({
        step: 'write-check',
        ok: true,
        message: 'A test object was written and removed: the bucket takes uploads.',
      });
      return;
    }
  }
  steps.push({
    step: 'write-check',
    ok: false,
    message: `The bucket does not take uploads: writing a test object failed (${describeS3Error(failed)}).`,
  });
}
