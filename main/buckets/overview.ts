import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BucketOverview, OverviewItem } from '../../preload/contract';
import { unknownBecause } from './probes';

async function read<T>(
  request: () => Promise<T>,
  describe: (answer: T) => OverviewItem,
  notConfigured: Record<string, OverviewItem> = {},
): Promise<OverviewItem> {
  try {
    return describe(await request());
  } catch (error) {
    const code = (error as { Code?: string; name?: string }).Code ?? (error as Error).name;
    return notConfigured[code] ?? { known: false, reason: unknownBecause(error) };
  }
}

function ruleLine(rule: LifecycleRule): string {
  const parts: string[] = [];
  const prefix = rule.Filter?.Prefix ?? rule.Prefix;
  const scope = prefix ? `under ${prefix}` : 'whole bucket';
  if (rule.Expiration?.Days) parts.push(`expire after ${rule.Expiration.Days} days`);
  for (const transition of rule.Transitions ?? []) {
    parts.push(`to ${transition.StorageClass} after ${transition.Days ?? '?'} days`);
  }
  if (rule.NoncurrentVersionExpiration?.NoncurrentDays) {
    parts.push(`delete old versions after ${rule.NoncurrentVersionExpiration.NoncurrentDays} days`);
  }
  if (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation) {
    parts.push(
      `abort incomplete uploads after ${rule.AbortIncompleteMultipartUpload.DaysAfterInitiation} days`,
    );
  }
  return `${rule.ID ?? 'unnamed'} (${rule.Status?.toLowerCase() ?? 'status unknown'}, ${scope}): ${parts.join(', ') || 'no actions'}`;
}

/**
 * Region, versioning, Block Public Access, default encryption and lifecycle of a bucket. Each is
 * read on its own: one the identity may not read, or the store does not know, is "unknown" with
 * its reason, and the rest still show.
 */
export async function bucketOverview(client: S3Client, bucket: string): Promise<BucketOverview> {
  const Bucket = bucket;
  const [region, versioning, publicAccessBlock, encryption, lifecycle] = await Promise.all([
    read(
      () => client.send(new GetBucketLocationCommand({ Bucket })),
      (answer) => ({ known: true, value: answer.LocationConstraint || 'us-east-1' }),
    ),
    read(
      () => client.send(new GetBucketVersioningCommand({ Bucket })),
      (answer) => ({
        known: true,
        value:
          answer.Status === 'Enabled'
            ? 'on'
            : answer.Status === 'Suspended'
              ? 'suspended (earlier versions are kept, new ones are not)'
              : 'off (never enabled)',
      }),
    ),
    read(
      () => client.send(new GetPublicAccessBlockCommand({ Bucket })),
      (answer) => {
        const config = answer.PublicAccessBlockConfiguration ?? {};
        const flags = [
          ['BlockPublicAcls', config.BlockPublicAcls],
          ['IgnorePublicAcls', config.IgnorePublicAcls],
          ['BlockPublicPolicy', config.BlockPublicPolicy],
          ['RestrictPublicBuckets', config.RestrictPublicBuckets],
        ] as const;
        if (flags.every(([, on]) => on === undefined)) {
          return { known: false, reason: 'the store answered without any setting' };
        }
        const on = flags.filter(([, value]) => value).map(([name]) => name);
        return {
          known: true,
          value: on.length === 4 ? 'all on' : on.length === 0 ? 'all off' : `only ${on.join(', ')}`,
        };
      },
      { NoSuchPublicAccessBlockConfiguration: { known: true, value: 'not set (all off)' } },
    ),
    read(
      () => client.send(new GetBucketEncryptionCommand({ Bucket })),
      (answer) => {
        const rule = answer.ServerSideEncryptionConfiguration?.Rules?.[0];
        const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
        if (!algorithm) return { known: false, reason: 'the store answered without any setting' };
        const key = rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
        return {
          known: true,
          value:
            algorithm === 'AES256'
              ? 'SSE-S3 (AES256)'
              : `${algorithm === 'aws:kms' ? 'SSE-KMS' : algorithm}${key ? ` with key ${key}` : ''}`,
        };
      },
      {
        ServerSideEncryptionConfigurationNotFoundError: { known: true, value: 'none' },
      },
    ),
    read(
      () => client.send(new GetBucketLifecycleConfigurationCommand({ Bucket })),
      (answer) => {
        const rules = answer.Rules ?? [];
        return {
          known: true,
          value:
            rules.length === 0
              ? 'no rules'
              : `${rules.length} rule${rules.length === 1 ? '' : 's'}`,
          details: rules.map(ruleLine),
        };
      },
      { NoSuchLifecycleConfiguration: { known: true, value: 'no rules' } },
    ),
  ]);
  return { bucket, region, versioning, publicAccessBlock, encryption, lifecycle };
}
