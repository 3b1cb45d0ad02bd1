import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetBucketOwnershipControlsCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import type { CannedAcl } from '../../preload/contract';
import { describeS3Error, httpStatusOf } from '../transfer/errors';
import { PUBLIC_ACLS } from '../transfer/uploadOptions';

/** A check's outcome: yes, no, or unknown with the reason (denied, unsupported, offline). */
export type Verdict = 'yes' | 'no' | 'unknown';

export interface Finding {
  verdict: Verdict;
  message: string;
}

function codeOf(error: unknown): string {
  const e = error as { Code?: string; name?: string };
  return e?.Code ?? e?.name ?? '';
}

/** Why a read of a bucket setting told us nothing, in plain words. */
export function unknownBecause(error: unknown): string {
  const status = httpStatusOf(error);
  if (status === 403 || codeOf(error) === 'AccessDenied') {
    return 'these credentials may not read it';
  }
  if (status === 501 || codeOf(error) === 'NotImplemented') return 'the store does not support it';
  return describeS3Error(error);
}

/**
 * Whether a canned ACL can work on this bucket, decided once for the whole batch: with Object
 * Ownership "bucket owner enforced" ACLs are disabled and every request carrying one fails;
 * with Block Public Access, a public ACL is refused (BlockPublicAcls) or ignored
 * (IgnorePublicAcls).
 */
export async function checkAclAllowed(
  client: S3Client,
  bucket: string,
  acl: CannedAcl,
): Promise<Finding> {
  const unknowns: string[] = [];
  try {
    const ownership = await client.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    const rule = ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
    if (rule === 'BucketOwnerEnforced') {
      return {
        verdict: 'no',
        message: `Bucket ${bucket} has ACLs disabled (Object Ownership: bucket owner enforced): uploads with the ACL ${acl} would all fail. Choose "no ACL"; access is then governed by the bucket policy.`,
      };
    }
    if (!rule) unknowns.push('its Object Ownership is not reported by the store');
  } catch (error) {
    if (codeOf(error) !== 'OwnershipControlsNotFoundError') {
      unknowns.push(`its Object Ownership could not be read (${unknownBecause(error)})`);
    }
  }
  if (PUBLIC_ACLS.has(acl)) {
    try {
      const block = await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
      const config = block.PublicAccessBlockConfiguration ?? {};
      if (config.BlockPublicAcls) {
        return {
          verdict: 'no',
          message: `Bucket ${bucket} blocks public ACLs (Block Public Access: BlockPublicAcls): uploads with the ACL ${acl} would be refused. Choose another ACL or change the bucket's Block Public Access settings.`,
        };
      }
      if (config.IgnorePublicAcls) {
        return {
          verdict: 'no',
          message: `Bucket ${bucket} ignores public ACLs (Block Public Access: IgnorePublicAcls): the ACL ${acl} would be stored but would not make the objects public.`,
        };
      }
      if (config.BlockPublicAcls === undefined) {
        unknowns.push('its Block Public Access settings are not reported by the store');
      }
    } catch (error) {
      if (codeOf(error) !== 'NoSuchPublicAccessBlockConfiguration') {
        unknowns.push(
          `its Block Public Access settings could not be read (${unknownBecause(error)})`,
        );
      }
    }
  }
  if (unknowns.length > 0) {
    return {
      verdict: 'unknown',
      message: `Whether bucket ${bucket} accepts the ACL ${acl} is unknown: ${unknowns.join('; ')}. You may proceed; if the store refuses it, each file will say so.`,
    };
  }
  return { verdict: 'yes', message: `Bucket ${bucket} accepts the ACL ${acl}.` };
}

/**
 * Whether the store keeps object tags: GetObjectTagging answers an empty list even on stores
 * that refuse to store tags (Swift), so the only honest test is to ask for an upload with
 * tags. A multipart upload is created and aborted at once: no object, no version left behind.
 */
export async function checkTaggingSupported(client: S3Client, bucket: string): Promise<Finding> {
  const key = `.bucketdrop-probe/tagging-${randomBytes(6).toString('hex')}`;
  try {
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Tagging: 'bucketdrop=probe' }),
    );
    await client
      .send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId }),
      )
      .catch(() => undefined);
    return { verdict: 'yes', message: `Bucket ${bucket} accepts object tags.` };
  } catch (error) {
    const status = httpStatusOf(error);
    const code = codeOf(error);
    const message = (error as Error)?.message ?? '';
    if (status === 501 || code === 'NotImplemented' || /tag/i.test(message)) {
      return {
        verdict: 'no',
        message:
          'This store does not support object tags. Remove the tags to upload: they would make every file fail.',
      };
    }
    return {
      verdict: 'unknown',
      message: `Whether this store keeps object tags is unknown (${unknownBecause(error)}); if it does not, each file will say so.`,
    };
  }
}
