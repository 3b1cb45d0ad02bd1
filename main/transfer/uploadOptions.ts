import type { StorageClass as SdkStorageClass } from '@aws-sdk/client-s3';
import type {
  CannedAcl,
  KeyValue,
  StorageClass,
  UploadOptionProblem,
  UploadOptions,
} from '../../preload/contract';

export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'OUTPOSTS',
  'SNOW',
  'EXPRESS_ONEZONE',
] as const satisfies readonly StorageClass[] & readonly SdkStorageClass[];

export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
] as const satisfies readonly CannedAcl[];

/** Canned ACLs that grant someone outside the bucket owner's account read or write access. */
export const PUBLIC_ACLS: ReadonlySet<CannedAcl> = new Set([
  'public-read',
  'public-read-write',
  'authenticated-read',
]);

/** S3 counts user metadata as the UTF-8 bytes of every key and value, at most 2 KB. */
export const METADATA_BUDGET_BYTES = 2048;
export const MAX_TAGS = 10;
export const MAX_TAG_KEY = 128;
export const MAX_TAG_VALUE = 256;
const MAX_HEADER_VALUE = 1024;

/** RFC 9110 token characters: what an HTTP header name may contain. */
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Printable ASCII and spaces: what survives an HTTP header unchanged. */
const HEADER_TEXT = /^[\x20-\x7e]*$/;
/** The characters S3 allows in tag keys and values. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function metadataBytes(entries: KeyValue[]): number {
  return entries.reduce(
    (sum, { key, value }) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}

function checkHeaderText(
  field: UploadOptionProblem['field'],
  label: string,
  value: string | undefined,
): UploadOptionProblem[] {
  if (value === undefined) return [];
  if (value.trim() === '') return [{ field, message: `${label} is empty: clear it or fill it in` }];
  if (!HEADER_TEXT.test(value)) {
    return [
      {
        field,
        message: `${label} may only contain printable ASCII characters (it becomes an HTTP header)`,
      },
    ];
  }
  if (value.length > MAX_HEADER_VALUE) {
    return [{ field, message: `${label} is longer than ${MAX_HEADER_VALUE} characters` }];
  }
  return [];
}

function checkMetadata(entries: KeyValue[]): UploadOptionProblem[] {
  const problems: UploadOptionProblem[] = [];
  const seen = new Set<string>();
  for (const { key, value } of entries) {
    const name = `metadata key "${key}"`;
    if (key === '') problems.push({ field: 'metadata', message: 'a metadata key is empty' });
    else if (!HEADER_TOKEN.test(key)) {
      problems.push({
        field: 'metadata',
        message: `${name} may only contain ASCII letters, digits and ! # $ % & ' * + - . ^ _ \` | ~ (no spaces)`,
      });
    } else if (seen.has(key.toLowerCase())) {
      problems.push({
        field: 'metadata',
        message: `${name} appears twice (S3 stores keys in lowercase, so case does not tell them apart)`,
      });
    }
    seen.add(key.toLowerCase());
    if (!HEADER_TEXT.test(value)) {
      problems.push({
        field: 'metadata',
        message: `the value of ${name} may only contain printable ASCII characters`,
      });
    }
  }
  const bytes = metadataBytes(entries);
  if (bytes > METADATA_BUDGET_BYTES) {
    problems.push({
      field: 'metadata',
      message: `user metadata takes ${bytes} bytes; S3 allows ${METADATA_BUDGET_BYTES} (keys and values together)`,
    });
  }
  return problems;
}

function checkTags(tags: KeyValue[]): UploadOptionProblem[] {
  const problems: UploadOptionProblem[] = [];
  if (tags.length > MAX_TAGS) {
    problems.push({
      field: 'tags',
      message: `${tags.length} tags: S3 allows at most ${MAX_TAGS} per object`,
    });
  }
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    const name = `tag "${key}"`;
    if (key === '') problems.push({ field: 'tags', message: 'a tag key is empty' });
    if ([...key].length > MAX_TAG_KEY) {
      problems.push({
        field: 'tags',
        message: `${name}: the key is longer than ${MAX_TAG_KEY} characters`,
      });
    }
    if ([...value].length > MAX_TAG_VALUE) {
      problems.push({
        field: 'tags',
        message: `${name}: the value is longer than ${MAX_TAG_VALUE} characters`,
      });
    }
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) {
      problems.push({
        field: 'tags',
        message: `${name}: tags may only contain letters, digits, spaces and + - = . _ : / @`,
      });
    }
    if (key.startsWith('aws:')) {
      problems.push({ field: 'tags', message: `${name}: keys starting with "aws:" are reserved` });
    }
    if (seen.has(key)) problems.push({ field: 'tags', message: `${name} appears twice` });
    seen.add(key);
  }
  return problems;
}

/** Every broken rule at once, so the user can fix them all before starting. */
export function validateUploadOptions(options: UploadOptions): UploadOptionProblem[] {
  const problems: UploadOptionProblem[] = [];
  if (
    options.storageClass !== undefined &&
    !(STORAGE_CLASSES as readonly string[]).includes(options.storageClass)
  ) {
    problems.push({
      field: 'storageClass',
      message: `"${options.storageClass}" is not an S3 storage class`,
    });
  }
  if (options.acl !== undefined && !(CANNED_ACLS as readonly string[]).includes(options.acl)) {
    problems.push({ field: 'acl', message: `"${options.acl}" is not a canned ACL` });
  }
  problems.push(...checkHeaderText('cacheControl', 'Cache-Control', options.cacheControl));
  problems.push(
    ...checkHeaderText('contentDisposition', 'Content-Disposition', options.contentDisposition),
  );
  if (options.sseKmsKeyId !== undefined) {
    if (options.sse !== 'aws:kms') {
      problems.push({
        field: 'sseKmsKeyId',
        message: 'a KMS key ID only applies with SSE-KMS (aws:kms) encryption',
      });
    } else {
      problems.push(...checkHeaderText('sseKmsKeyId', 'The KMS key ID', options.sseKmsKeyId));
    }
  }
  problems.push(...checkMetadata(options.metadata ?? []));
  problems.push(...checkTags(options.tags ?? []));
  if (options.includeGps && !options.exifMetadata) {
    problems.push({
      field: 'includeGps',
      message: 'GPS coordinates are only copied together with the image metadata (EXIF)',
    });
  }
  return problems;
}

/**
 * The x-amz-tagging header: a URL query string, percent-encoded (a space is %20, not the form
 * encoding's `+`, which Ceph RGW keeps as a literal plus).
 */
export function taggingHeader(tags: KeyValue[]): string {
  return tags
    .map(({ key, value }) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

/** The fields a PutObject and a CreateMultipartUpload share. */
export interface ObjectSettingsInput {
  StorageClass?: StorageClass;
  CacheControl?: string;
  ContentDisposition?: string;
  ACL?: CannedAcl;
  ServerSideEncryption?: 'AES256' | 'aws:kms';
  SSEKMSKeyId?: string;
  Metadata?: Record<string, string>;
  Tagging?: string;
}

/** The request fields for an object, with its own metadata (e.g. from EXIF) merged in. */
export function objectSettingsInput(
  options: UploadOptions | undefined,
  metadata: KeyValue[] = [],
): ObjectSettingsInput {
  const all = [...metadata, ...(options?.metadata ?? [])];
  const tags = options?.tags ?? [];
  return {
    ...(options?.storageClass ? { StorageClass: options.storageClass } : {}),
    ...(options?.cacheControl ? { CacheControl: options.cacheControl } : {}),
    ...(options?.contentDisposition ? { ContentDisposition: options.contentDisposition } : {}),
    ...(options?.acl ? { ACL: options.acl } : {}),
    ...(options?.sse ? { ServerSideEncryption: options.sse } : {}),
    ...(options?.sse === 'aws:kms' && options.sseKmsKeyId
      ? { SSEKMSKeyId: options.sseKmsKeyId }
      : {}),
    ...(all.length > 0
      ? { Metadata: Object.fromEntries(all.map(({ key, value }) => [key.toLowerCase(), value])) }
      : {}),
    ...(tags.length > 0 ? { Tagging: taggingHeader(tags) } : {}),
  };
}

/** Whether the options ask for anything beyond a plain upload. */
export function hasUploadSettings(options: UploadOptions | undefined): boolean {
  return Boolean(options && Object.keys(objectSettingsInput(options)).length > 0);
}
