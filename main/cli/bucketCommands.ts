import { createBucketSafely } from '../buckets/createBucket';
import { bucketNameProblems } from '../buckets/bucketName';
import { createS3Client } from '../s3/client';
import { checksumOption, CONNECTION_OPTIONS, parse, s3Argument } from './args';
import { cliConnection } from './connection';
import { UsageError } from './usage';

const MB_OPTIONS = {
  ...CONNECTION_OPTIONS,
  'no-versioning': { type: 'boolean' },
  'no-block-public-access': { type: 'boolean' },
  'no-lifecycle': { type: 'boolean' },
} as const;

/**
 * `bucketdrop mb s3://name`: creates a bucket in the connection's region (--region) with
 * versioning, Block Public Access and the 7-day clean-up of incomplete uploads, as the app does.
 * Exit 1 when the bucket was not created or does not take a test upload; settings the store
 * refused are reported but the bucket stays.
 */
export async function makeBucket(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, MB_OPTIONS);
  if (positionals.length !== 1) throw new UsageError('mb takes one s3://bucket');
  const { bucket, key } = s3Argument(positionals[0]!);
  if (key) throw new UsageError(`mb takes a bucket, not a key: s3://${bucket}`);
  const problems = bucketNameProblems(bucket);
  if (problems.length > 0) {
    throw new UsageError(`"${bucket}" is not a valid bucket name: ${problems.join('; ')}`);
  }
  const connection = await cliConnection(values);
  const client = createS3Client({
    ...connection.settings,
    checksumMode: checksumOption(values.checksum, connection.checksumMode),
    maxSockets: 2,
  });
  const steps = await createBucketSafely(client, {
    name: bucket,
    region: await client.config.region(),
    versioning: !values['no-versioning'],
    blockPublicAccess: !values['no-block-public-access'],
    abortIncompleteUploadsAfter7Days: !values['no-lifecycle'],
  });
  for (const step of steps) {
    process.stdout.write(
      values.json ? `${JSON.stringify(step)}\n` : `${step.ok ? 'ok  ' : 'not '} ${step.message}\n`,
    );
  }
  const writable = steps.find((step) => step.step === 'write-check')?.ok ?? false;
  return steps[0]?.ok && writable ? 0 : 1;
}
