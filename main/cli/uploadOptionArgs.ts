import type { ParseArgsConfig } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CannedAcl, KeyValue, StorageClass, UploadOptions } from '../../preload/contract';
import { checkAclAllowed, checkTaggingSupported } from '../buckets/probes';
import { validateUploadOptions } from '../transfer/uploadOptions';
import { UsageError } from './usage';

/** `bucketdrop upload` flags that set how objects are stored. */
export const UPLOAD_OPTION_FLAGS = {
  'storage-class': { type: 'string' },
  'cache-control': { type: 'string' },
  'content-disposition': { type: 'string' },
  acl: { type: 'string' },
  sse: { type: 'string' },
  'sse-kms-key-id': { type: 'string' },
  meta: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  'exif-meta': { type: 'boolean' },
  'exif-gps': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export interface UploadOptionValues {
  'storage-class'?: string;
  'cache-control'?: string;
  'content-disposition'?: string;
  acl?: string;
  sse?: string;
  'sse-kms-key-id'?: string;
  meta?: string[];
  tag?: string[];
  'exif-meta'?: boolean;
  'exif-gps'?: boolean;
}

function pairs(texts: string[] | undefined, flag: string): KeyValue[] {
  return (texts ?? []).map((text) => {
    const equals = text.indexOf('=');
    if (equals <= 0) throw new UsageError(`--${flag} takes key=value, not "${text}"`);
    return { key: text.slice(0, equals), value: text.slice(equals + 1) };
  });
}

function sseOption(text: string | undefined): UploadOptions['sse'] {
  if (text === undefined) return undefined;
  if (text === 'AES256' || text === 'aws:kms') return text;
  throw new UsageError(`--sse takes AES256 (SSE-S3) or aws:kms (SSE-KMS), not "${text}"`);
}

/**
 * The upload options the flags ask for, checked with the same rules as the app's; undefined
 * when no flag was given, so the journal of a plain upload stays as it was.
 */
export function uploadOptionsFrom(values: UploadOptionValues): UploadOptions | undefined {
  const metadata = pairs(values.meta, 'meta');
  const tags = pairs(values.tag, 'tag');
  const options: UploadOptions = {
    ...(values['storage-class'] !== undefined
      ? { storageClass: values['storage-class'].toUpperCase() as StorageClass }
      : {}),
    ...(values['cache-control'] !== undefined ? { cacheControl: values['cache-control'] } : {}),
    ...(values['content-disposition'] !== undefined
      ? { contentDisposition: values['content-disposition'] }
      : {}),
    ...(values.acl !== undefined ? { acl: values.acl as CannedAcl } : {}),
    ...(values.sse !== undefined ? { sse: sseOption(values.sse) } : {}),
    ...(values['sse-kms-key-id'] !== undefined ? { sseKmsKeyId: values['sse-kms-key-id'] } : {}),
    ...(metadata.length > 0 ? { metadata } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(values['exif-meta'] ? { exifMetadata: true } : {}),
    ...(values['exif-gps'] ? { includeGps: true } : {}),
  };
  const problems = validateUploadOptions(options);
  if (problems.length > 0) {
    throw new UsageError(problems.map((problem) => problem.message).join('\n'));
  }
  return Object.keys(options).length > 0 ? options : undefined;
}

/**
 * Asks the bucket, once before the batch, whether the tags and the ACL can work, so a refusal is
 * one clear message instead of a failure per file. An unknown answer lets the upload go ahead.
 */
export async function preflightOptions(
  client: S3Client,
  bucket: string,
  options: UploadOptions | undefined,
  info: (message: string) => void,
): Promise<string | null> {
  const findings = [
    ...(options?.tags?.length ? [await checkTaggingSupported(client, bucket)] : []),
    ...(options?.acl ? [await checkAclAllowed(client, bucket, options.acl)] : []),
  ];
  for (const finding of findings) if (finding.verdict === 'unknown') info(finding.message);
  const refused = findings.filter((finding) => finding.verdict === 'no');
  return refused.length > 0 ? refused.map((finding) => finding.message).join('\n') : null;
}
