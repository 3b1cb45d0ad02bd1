import {
  GetBucketPolicyStatusCommand,
  GetObjectAclCommand,
  GetPublicAccessBlockCommand,
  type Grant,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectAccessReport } from '../../preload/contract';
import { unknownBecause } from './probes';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

type Known<T> = { known: true; value: T } | { known: false; reason: string };

async function attempt<T>(request: () => Promise<T>, absent?: string): Promise<Known<T | null>> {
  try {
    return { known: true, value: await request() };
  } catch (error) {
    const code = (error as { Code?: string; name?: string }).Code ?? (error as Error).name;
    if (absent && code === absent) return { known: true, value: null };
    return { known: false, reason: unknownBecause(error) };
  }
}

function publicGrants(grants: Grant[]): string[] {
  return grants
    .filter(
      (grant) => grant.Grantee?.URI === ALL_USERS || grant.Grantee?.URI === AUTHENTICATED_USERS,
    )
    .map(
      (grant) =>
        `${grant.Grantee?.URI === ALL_USERS ? 'everyone' : 'any AWS account'} (${grant.Permission ?? 'some permission'})`,
    );
}

/**
 * Whether anyone outside the account can read an object, from what S3 lets us see: Block
 * Public Access (which overrides the rest), the bucket policy status and the object's ACL.
 * Every step of the reasoning is kept, and a part we may not read makes the answer "unknown"
 * rather than a guess.
 */
export async function checkObjectAccess(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<ObjectAccessReport> {
  const [block, policy, acl] = await Promise.all([
    attempt(
      () => client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
      'NoSuchPublicAccessBlockConfiguration',
    ),
    attempt(
      () => client.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })),
      'NoSuchBucketPolicy',
    ),
    attempt(() => client.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }))),
  ]);
  const reasons: string[] = [];
  const unknowns: string[] = [];

  let ignoreAcls: boolean | undefined;
  let restrictPolicy: boolean | undefined;
  if (!block.known) unknowns.push(`Block Public Access could not be read (${block.reason})`);
  else if (block.value === null) {
    ignoreAcls = false;
    restrictPolicy = false;
    reasons.push('The bucket has no Block Public Access settings.');
  } else {
    const config = block.value.PublicAccessBlockConfiguration ?? {};
    if (config.IgnorePublicAcls === undefined && config.RestrictPublicBuckets === undefined) {
      unknowns.push('the store reports no Block Public Access settings');
    } else {
      ignoreAcls = Boolean(config.IgnorePublicAcls);
      restrictPolicy = Boolean(config.RestrictPublicBuckets);
      reasons.push(
        `Block Public Access: public ACLs are ${ignoreAcls ? 'ignored' : 'honoured'}, public bucket policies are ${restrictPolicy ? 'restricted to the account' : 'honoured'}.`,
      );
    }
  }

  let policyPublic: boolean | undefined;
  if (!policy.known) unknowns.push(`the bucket policy status could not be read (${policy.reason})`);
  else if (policy.value === null) {
    policyPublic = false;
    reasons.push('The bucket has no bucket policy.');
  } else if (policy.value.PolicyStatus?.IsPublic === undefined) {
    unknowns.push('the store reports no bucket policy status');
  } else {
    policyPublic = policy.value.PolicyStatus.IsPublic;
    reasons.push(
      policyPublic
        ? 'The bucket policy grants public access (it may cover this object).'
        : 'The bucket policy does not grant public access.',
    );
  }

  let aclPublic: string[] | undefined;
  if (!acl.known) unknowns.push(`the object's ACL could not be read (${acl.reason})`);
  else {
    aclPublic = publicGrants(acl.value?.Grants ?? []);
    reasons.push(
      aclPublic.length > 0
        ? `The object's ACL grants access to ${aclPublic.join(' and ')}.`
        : "The object's ACL grants access only to named accounts.",
    );
  }

  const where = `s3://${bucket}/${key}`;
  if (aclPublic && aclPublic.length > 0 && ignoreAcls === false) {
    return { verdict: 'public', summary: `Yes: ${where} is public through its ACL.`, reasons };
  }
  if (policyPublic && restrictPolicy === false) {
    return {
      verdict: 'public',
      summary: `Probably: the bucket policy of ${bucket} is public and may cover ${key}.`,
      reasons,
    };
  }
  if (ignoreAcls && restrictPolicy) {
    return {
      verdict: 'not-public',
      summary: `No: Block Public Access keeps ${where} from being public, whatever its ACL or the bucket policy say.`,
      reasons,
    };
  }
  if (unknowns.length === 0) {
    return {
      verdict: 'not-public',
      summary: `No: neither the bucket policy nor the object's ACL makes ${where} public.`,
      reasons,
    };
  }
  return {
    verdict: 'unknown',
    summary: `Unknown: ${unknowns.join('; ')}.`,
    reasons,
  };
}
