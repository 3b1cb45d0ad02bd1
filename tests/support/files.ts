import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `bucketdrop-${label}-`));
}

/** Writes a file of random bytes (random so that no part is accidentally equal to another). */
export function writeRandomFile(file: string, size: number): Buffer {
  mkdirSync(path.dirname(file), { recursive: true });
  const data = randomBytes(size);
  writeFileSync(file, data);
  return data;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function fileSha256(file: string): string {
  return sha256(readFileSync(file));
}
