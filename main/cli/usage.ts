export class UsageError extends Error {}

export const USAGE = `Usage:
  bucketdrop upload <path>... s3://bucket/prefix/ [options]
  bucketdrop resume [--journal DIR] [--json]
  bucketdrop status [--journal DIR] [--json]
  bucketdrop ls s3://bucket/prefix/ [--json]
  bucketdrop abort-incomplete s3://bucket/prefix/ [--older-than DURATION] [--journal DIR]

Upload options:
  --concurrency N            files in flight (default 4)
  --part-concurrency N       parts in flight across all files (default 8)
  --part-size SIZE           multipart part size, at least 5M (default 8M)
  --multipart-threshold SIZE files from this size upload in parts (default 16M)
  --on-conflict POLICY       overwrite (default), skip or rename
  --checksum MODE            when-supported (CRC32, default) or when-required (Content-MD5)
  --include-junk             also upload .DS_Store, Thumbs.db, desktop.ini and ._ files
  --journal DIR              where unfinished uploads are recorded
  --json                     one JSON object per line instead of a progress bar

Connection (any command): the standard AWS chain (environment, AWS_PROFILE, shared config,
SSO, AWS_ENDPOINT_URL), or:
  --profile NAME  --endpoint URL  --region REGION  --path-style

Exit codes: 0 all done, 1 some item failed, 2 bad usage, 130/143 interrupted (resume continues).`;
