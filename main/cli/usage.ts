export class UsageError extends Error {}

export const USAGE = `Usage:
  bucketdrop upload <path>... s3://bucket/prefix/ [options]
  bucketdrop resume [--journal DIR] [--json]
  bucketdrop status [--journal DIR] [--json]
  bucketdrop ls s3://bucket/prefix/ [--json] [--recursive]
  bucketdrop abort-incomplete s3://bucket/prefix/ [--older-than DURATION] [--journal DIR]
  bucketdrop profiles [--json]     the app's connections and the AWS profiles (no secrets)
  bucketdrop versions s3://bucket/key-or-folder/ [--json]
                             a folder: every key's versions and markers, then a summary
  bucketdrop restore s3://bucket/key --version-id V
  bucketdrop undelete s3://bucket/key-or-folder/ [--dry-run] [--deleted-since ISO8601]
      [--deleted-before ISO8601] [--concurrency N]
                             a folder: every key whose latest entry is a delete marker
  bucketdrop restore-prefix s3://bucket/prefix/ --at ISO8601 [--dry-run] [--delete-created-since]
      [--concurrency N]      keys at once (default 16); rerun after a crash to finish the job
  bucketdrop presign s3://bucket/key [--expires DURATION] [--method GET|PUT]
                             a link that works without credentials (default 1h, at most 7d)
  bucketdrop rm s3://bucket/key [--recursive] [--json]
                             deletes one exact key; a folder (key ending in /, or a prefix)
                             only with --recursive, which deletes every key under it
  bucketdrop download s3://bucket/key-or-prefix/ DIR [--concurrency N] [--journal DIR] [--json]
                             a rerun resumes from the bytes on disk; existing files are kept
  bucketdrop mb s3://bucket [--region R] [--no-versioning] [--no-block-public-access]
      [--no-lifecycle]               create a bucket: versioning, Block Public Access and the
                                     7-day abort of incomplete uploads on unless turned off

Upload options:
  --concurrency N            files in flight (default 8)
  --part-concurrency N       parts in flight across all files (default 8)
  --part-size SIZE           multipart part size, at least 5M (default 8M)
  --multipart-threshold SIZE files from this size upload in parts (default 16M)
  --on-conflict POLICY       overwrite (default), skip or rename
  --checksum MODE            when-supported (CRC32) or when-required (Content-MD5); default:
                             CRC32 where the endpoint verifies it (probed once, remembered)
  --include-junk             also upload .DS_Store, Thumbs.db, desktop.ini and ._ files
  --follow-links             also follow symbolic links that lead out of the folder (skipped
                             otherwise; the plan lists their targets)
  --journal DIR              where unfinished uploads are recorded
  --json                     one JSON object per line instead of a progress bar

How objects are stored (upload; kept by resume):
  --storage-class CLASS      STANDARD, STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, ... (S3's list)
  --cache-control VALUE      e.g. "public, max-age=31536000, immutable" or "no-cache"
  --content-disposition VALUE  e.g. "attachment"
  --acl ACL                  a canned ACL (private, public-read, bucket-owner-full-control ...);
                             none by default: objects stay private
  --sse AES256|aws:kms       server-side encryption (SSE-S3 or SSE-KMS)
  --sse-kms-key-id KEY       the KMS key for aws:kms (default: the account's AWS managed key)
  --meta KEY=VALUE           user metadata (x-amz-meta-KEY), repeatable; 2 KB in all
  --tag KEY=VALUE            an object tag, repeatable; at most 10
  --exif-meta                copy width, height, capture date, camera and orientation from the
                             image into x-amz-meta-*
  --exif-gps                 with --exif-meta, also the GPS position (never copied otherwise)

Connection (any command): the standard AWS chain (environment, AWS_PROFILE, shared config,
SSO, AWS_ENDPOINT_URL), or:
  --profile NAME             a connection saved in the app, else a profile of ~/.aws/config
                             or ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)
  --endpoint URL             an S3-compatible store (MinIO, R2, Wasabi, Ceph ...)
  --region REGION  --path-style  --checksum MODE
                             override what the profile says
App connections with an access key keep it in the app's encrypted store: on the command line
use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with --endpoint) or an AWS profile instead.

Exit codes: 0 all done, 1 some item failed, 2 bad usage, a bucket or journal folder that cannot
be used (nothing sent), or files skipped, 130/143 interrupted (resume continues).`;
