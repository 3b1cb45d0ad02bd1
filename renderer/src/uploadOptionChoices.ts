import type { CannedAcl, KeyValue, StorageClass } from '../../preload/contract';

/** Every storage class the contract knows; the Record makes a missing one a type error. */
export const STORAGE_CLASS_LABELS: Record<StorageClass, string> = {
  STANDARD: 'Standard',
  INTELLIGENT_TIERING: 'Intelligent-Tiering',
  STANDARD_IA: 'Standard-IA (infrequent access)',
  ONEZONE_IA: 'One Zone-IA',
  GLACIER_IR: 'Glacier Instant Retrieval',
  GLACIER: 'Glacier Flexible Retrieval (restore before reading)',
  DEEP_ARCHIVE: 'Glacier Deep Archive (restore before reading)',
  REDUCED_REDUNDANCY: 'Reduced Redundancy (deprecated)',
  EXPRESS_ONEZONE: 'Express One Zone (directory buckets)',
  OUTPOSTS: 'Outposts',
  SNOW: 'Snow',
};

export const ACL_LABELS: Record<CannedAcl, string> = {
  private: 'private (owner only, as an explicit ACL)',
  'bucket-owner-full-control': 'bucket-owner-full-control',
  'bucket-owner-read': 'bucket-owner-read',
  'public-read': 'public-read (anyone can read)',
  'public-read-write': 'public-read-write (anyone can read and write)',
  'authenticated-read': 'authenticated-read (any AWS account)',
  'aws-exec-read': 'aws-exec-read',
};

export const CACHE_PRESETS: readonly { value: string; label: string }[] = [
  {
    value: 'public, max-age=31536000, immutable',
    label: 'One year, immutable (versioned file names behind a CDN)',
  },
  { value: 'public, max-age=86400', label: 'One day' },
  { value: 'no-cache', label: 'Revalidate every time (no-cache)' },
  { value: 'private, no-store', label: 'Never store (private, no-store)' },
];

/** One "key=value" per line, as the metadata and tag boxes show them. */
export function formatPairs(pairs: KeyValue[] | undefined): string {
  return (pairs ?? []).map(({ key, value }) => `${key}=${value}`).join('\n');
}

export function parsePairs(text: string): { pairs: KeyValue[]; errors: string[] } {
  const pairs: KeyValue[] = [];
  const errors: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const equals = line.indexOf('=');
    if (equals <= 0) {
      errors.push(`line ${index + 1} ("${line.trim()}") needs the form key=value`);
      continue;
    }
    pairs.push({ key: line.slice(0, equals).trim(), value: line.slice(equals + 1).trim() });
  }
  return { pairs, errors };
}
