import path from 'node:path';

/** S3 rejects keys longer than this many UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

export class InvalidKeyError extends Error {}

/**
 * A destination prefix as typed: NFC, no leading slash, ending in `/` unless empty. Anything else
 * is kept, `//` included, because S3 keys may hold it and aws-cli keeps it too.
 */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.normalize('NFC').replace(/\\/g, '/').replace(/^\/+/, '');
  if (trimmed === '') return '';
  if (trimmed.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new InvalidKeyError(`the prefix "${prefix}" contains "." or ".." segments`);
  }
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** What in a prefix looks like a typo, said once before the upload; the prefix is kept as it is. */
export function prefixWarnings(prefix: string): string[] {
  const warnings: string[] = [];
  if (prefix.includes('//')) {
    warnings.push(
      `the prefix "${prefix}" contains "//": S3 keeps it as typed, so the keys get an empty folder name there`,
    );
  }
  if (prefix.split('/').some((segment) => segment !== segment.trim())) {
    warnings.push(`a folder name in the prefix "${prefix}" starts or ends with a space`);
  }
  return warnings;
}

/**
 * The object key for a file: the prefix plus the path relative to what was dropped, with `/`
 * separators on every OS and NFC names, because macOS hands out NFD names and the same photo
 * must get the same key wherever it was uploaded from.
 */
export function objectKeyFor(prefix: string, relativePath: string): string {
  const segments = relativePath
    .split(path.sep)
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) throw new InvalidKeyError('the file has no name');
  if (segments.includes('..')) {
    throw new InvalidKeyError(`the path "${relativePath}" climbs out of the dropped folder`);
  }
  const key = normalizePrefix(prefix) + segments.map((s) => s.normalize('NFC')).join('/');
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new InvalidKeyError(
      `the key is ${bytes} bytes long; S3 allows at most ${MAX_KEY_BYTES} bytes`,
    );
  }
  return key;
}

/** `name (1).jpg` style alternatives for the rename conflict policy. */
export function renamedKey(key: string, attempt: number): string {
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  const name = key.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${dir}${stem} (${attempt})${ext}`;
}
