import { GetPublicAccessBlockCommand, type S3Client } from '@aws-sdk/client-s3';
import { httpStatusOf } from './errors';

/**
 * Explains an upload's 403 by the bucket's Block Public Access when BlockPublicAcls is on: some
 * stores (Ceph RGW 16) refuse every write under it, ACL or not, and blaming the credentials would
 * send the user the wrong way. Null when that is not the cause, or it cannot be told.
 */
export async function explainDeniedByBlockPublicAcls(
  client: S3Client,
  bucket: string,
  error: unknown,
): Promise<string | null> {
  if (httpStatusOf(error) !== 403) return null;
  try {
    const answer = await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    if (!answer.PublicAccessBlockConfiguration?.BlockPublicAcls) return null;
  } catch {
    return null;
  }
  return `access denied: bucket ${bucket} has Block Public Access with BlockPublicAcls on, and this store refuses every upload while it is. Turn BlockPublicAcls off for the bucket (IgnorePublicAcls keeps public ACLs ineffective), or check that these credentials may write to it`;
}
