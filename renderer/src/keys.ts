import type { Destination } from '../../preload/contract';

export type PrefixCheck = { ok: true; prefix: string } | { ok: false; error: string };

/**
 * The prefix as main will store it (NFC, no leading slash, one trailing slash, `//` kept as
 * typed), so the preview shows the keys that will really be written. Mirrors main's rules; main
 * stays the authority.
 */
export function normalizePrefix(prefix: string): PrefixCheck {
  const trimmed = prefix.normalize('NFC').replace(/\\/g, '/').replace(/^\/+/, '');
  if (trimmed.split('/').some((segment) => segment === '..' || segment === '.')) {
    return { ok: false, error: 'The prefix cannot contain "." or ".." folders.' };
  }
  if (trimmed === '') return { ok: true, prefix: '' };
  return { ok: true, prefix: trimmed.endsWith('/') ? trimmed : `${trimmed}/` };
}

/** "s3://bucket/prefix/", or null while no bucket is chosen or the prefix is invalid. */
export function destinationUrl(destination: Destination): string | null {
  const bucket = destination.bucket.trim();
  const prefix = normalizePrefix(destination.prefix);
  if (!bucket || !prefix.ok) return null;
  return `s3://${bucket}/${prefix.prefix}`;
}

export function fileName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1) || key;
}
