import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BucketSetupStep, NewBucketRequest } from '../../preload/contract';
import { describeS3Error } from '../transfer/errors';
import { bucketNameProblems } from './bucketName';
import { checkBucketTakesWrites } from './writeCheck';

/** What to create; `region` absent: the connection's (us-east-1 takes no constraint). */
export type NewBucket = NewBucketRequest;

export class BucketNameError extends Error {
  constructor(
    readonly bucket: string,
    readonly problems: string[],
  ) {
    super(`"${bucket}" is not a valid bucket name: ${problems.join('; ')}`);
  }
}

/**
 * Creates a bucket, then applies each safe default in turn. A store that refuses a setting
 * (Swift accepts no Block Public Access or lifecycle) still gets its bucket; each step reports
 * what happened, so the user knows which protections are missing. Last, a test object proves
 * that the bucket takes uploads.
 */
export async function createBucketSafely(
  client: S3Client,
  bucket: NewBucket,
): Promise<BucketSetupStep[]> {
  const problems = bucketNameProblems(bucket.name);
  if (problems.length > 0) throw new BucketNameError(bucket.name, problems);
  const Bucket = bucket.name;
  const region = bucket.region;
  // AWS in us-east-1 and Ceph RGW answer 200 to creating a bucket one already owns.
  const owned = await client.send(new HeadBucketCommand({ Bucket })).then(
    () => true,
    () => false,
  );
  if (owned) {
    return [
      {
        step: 'create',
        ok: false,
        message: `Bucket ${Bucket} was not created: you already have a bucket of that name.`,
      },
    ];
  }
  try {
    await client.send(
      new CreateBucketCommand({
        Bucket,
        ...(region && region !== 'us-east-1'
          ? {
              CreateBucketConfiguration: {
                LocationConstraint: region as BucketLocationConstraint,
              },
            }
          : {}),
      }),
    );
  } catch (error) {
    const code = (error as { name?: string }).name;
    const cause =
      code === 'BucketAlreadyExists'
        ? 'the name is taken (bucket names are shared by every account)'
        : code === 'BucketAlreadyOwnedByYou'
          ? 'you already have a bucket of that name'
          : code === 'InvalidLocationConstraint'
            ? `the store does not offer region ${region}`
            : code === 'IllegalLocationConstraintException'
              ? `region ${region} must be asked of its own endpoint: use a connection set to ${region}`
              : describeS3Error(error);
    return [{ step: 'create', ok: false, message: `Bucket ${Bucket} was not created: ${cause}.` }];
  }
  const steps: BucketSetupStep[] = [
    {
      step: 'create',
      ok: true,
      message: `Bucket ${Bucket} created${region ? ` in ${region}` : ''}.`,
    },
  ];
  const attempt = async (
    step: BucketSetupStep['step'],
    wanted: boolean,
    action: () => Promise<unknown>,
    done: string,
    refused: string,
  ) => {
    if (!wanted) return;
    try {
      await action();
      steps.push({ step, ok: true, message: done });
    } catch (error) {
      steps.push({ step, ok: false, message: `${refused}: ${describeS3Error(error)}.` });
    }
  };
  await attempt(
    'versioning',
    bucket.versioning,
    () =>
      client.send(
        new PutBucketVersioningCommand({
          Bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      ),
    'Versioning is on: overwritten and deleted objects keep their previous versions.',
    'The store did not accept versioning, so an overwrite replaces the object for good',
  );
  await attempt(
    'block-public-access',
    bucket.blockPublicAccess,
    () =>
      client.send(
        new PutPublicAccessBlockCommand({
          Bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      ),
    'Block Public Access is on: no ACL or bucket policy can make objects public.',
    'The store did not accept Block Public Access; objects are private unless an ACL or policy says otherwise',
  );
  await attempt(
    'lifecycle',
    bucket.abortIncompleteUploadsAfter7Days,
    () =>
      client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: 'bucketdrop-abort-incomplete-uploads',
                Status: 'Enabled',
                Filter: { Prefix: '' },
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
              },
            ],
          },
        }),
      ),
    'Incomplete multipart uploads are aborted after 7 days.',
    'The store did not accept the lifecycle rule; use "abort-incomplete" to clean up unfinished uploads',
  );
  await checkBucketTakesWrites(client, Bucket, steps);
  return steps;
}
