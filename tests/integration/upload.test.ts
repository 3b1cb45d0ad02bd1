import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/cli';
import { sha256, tempDir, writeRandomFile } from '../support/files';
import { allKeys, checkingClient, freshBucket, localS3, objectBytes } from '../support/s3env';

const MiB = 1024 * 1024;

/** Names that break naive URL handling or Unicode comparison. */
const TRICKY_FILES: Array<[string, number]> = [
  ['Album/day 1/IMG 0001.jpg', 300_000],
  ['Album/day 1/nested/deeper/IMG_0002.CR3', 1_000_000],
  ['Album/Cafe\u0301 cre\u0300me (NFD).jpg', 1234],
  ['Album/Fran\u00e7ois (NFC).png', 4321],
  ['Album/hash #1.jpg', 10],
  ['Album/percent 100%.jpg', 11],
  ['Album/question?.jpg', 12],
  ['Album/plus+sign.jpg', 13],
  ['Album/emoji 📷.jpg', 14],
  ['Album/empty.jpg', 0],
  ['Album/huge.tif', 100 * MiB],
];

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let source: string;

beforeAll(() => {
  s3 = localS3();
  client = checkingClient(s3);
  source = tempDir('tricky');
  for (const [name, size] of TRICKY_FILES) writeRandomFile(path.join(source, name), size);
  writeFileSync(path.join(source, 'Album', '.DS_Store'), 'junk');
});

async function expectBucketEqualsFiles(bucket: string, prefix: string): Promise<void> {
  const expectedKeys = TRICKY_FILES.map(([name]) => `${prefix}${name.normalize('NFC')}`).sort();
  expect(await allKeys(client, bucket)).toEqual(expectedKeys);
  for (const [name] of TRICKY_FILES) {
    const stored = await objectBytes(client, bucket, `${prefix}${name.normalize('NFC')}`);
    expect(sha256(stored), name).toBe(sha256(readFileSync(path.join(source, name))));
  }
}

describe('uploading a folder through the command line', () => {
  it('stores every file byte for byte under NFC keys with / separators (CRC32 mode)', async () => {
    const bucket = await freshBucket(client, 'tricky');
    const result = await runCli(
      [
        'upload',
        path.join(source, 'Album'),
        `s3://${bucket}/shoots/`,
        '--json',
        '--journal',
        tempDir('j'),
      ],
      s3.env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const plan = jsonLines(result.stdout).find((line) => line.type === 'plan')!;
    expect(plan.files).toBe(TRICKY_FILES.length);
    expect(plan.skipped).toEqual([
      {
        path: path.join(source, 'Album', '.DS_Store'),
        reason: 'system file (.DS_Store)',
        // Left out by the junk filter, so the exit code stays 0.
        excluded: true,
      },
    ]);
    await expectBucketEqualsFiles(bucket, 'shoots/');
  });

  it('stores the same bytes with Content-MD5 instead of CRC32', async () => {
    const bucket = await freshBucket(client, 'md5');
    const result = await runCli(
      [
        'upload',
        path.join(source, 'Album'),
        `s3://${bucket}/`,
        '--checksum',
        'when-required',
        '--part-size',
        '5M',
        '--json',
        '--journal',
        tempDir('j'),
      ],
      s3.env,
    );
    expect(result.code).toBe(0);
    const summary = jsonLines(result.stdout).find((line) => line.type === 'summary')!;
    expect(summary.filesDone).toBe(TRICKY_FILES.length);
    await expectBucketEqualsFiles(bucket, '');
  });

  it('exits 2 with usage on bad arguments', async () => {
    const missing = await runCli(['upload', '/no/such/folder', 's3://b/'], s3.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or folder: \/no\/such\/folder/);
    const badFlag = await runCli(['upload', source, 's3://b/', '--part-size', '1M'], s3.env);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/at least 5M/);
    const notS3 = await runCli(['upload', source, 'b/prefix'], s3.env);
    expect(notS3.code).toBe(2);
    expect(notS3.stderr).toMatch(/not an S3 address/);
  });
});
