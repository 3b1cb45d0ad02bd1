export interface S3Location {
  bucket: string;
  /** Key or prefix, as typed (may be empty). */
  key: string;
}

export class S3UriError extends Error {}

/** Parses `s3://bucket/prefix/` as the AWS CLI does. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/s.exec(uri);
  if (!match) throw new S3UriError(`"${uri}" is not an S3 address (expected s3://bucket/prefix/)`);
  return { bucket: match[1]!, key: match[2] ?? '' };
}

export function formatS3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
