import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export const MAX_KEY_BYTES = 1024;

/** The key of a new folder, or a plain-words reason why the name cannot be one. */
export function folderKey(
  prefix: string,
  name: string,
): { ok: true; key: string } | { ok: false; error: string } {
  const trimmed = name.trim();
  if (trimmed === '') return { ok: false, error: 'Type a name for the folder.' };
  if (trimmed.includes('/')) {
    return { ok: false, error: `"${trimmed}" contains "/": a folder name cannot contain a slash.` };
  }
  if (trimmed === '.' || trimmed === '..') {
    return { ok: false, error: `"${trimmed}" cannot be a folder name.` };
  }
  const key = `${prefix}${trimmed.normalize('NFC')}/`;
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    return {
      ok: false,
      error: `The folder's key would be ${bytes} bytes long; S3 allows at most ${MAX_KEY_BYTES}.`,
    };
  }
  return { ok: true, key };
}

/** A folder in S3 is a zero-byte object whose key ends in `/`; consoles and tools show it so. */
export async function createFolder(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array(0) }));
}
