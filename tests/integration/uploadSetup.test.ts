/**
 * What the command line checks before the first file, and how it accounts for every file it was
 * asked for (issue #26): limits refused up front with exit 2, a missing bucket said once, the
 * prefix kept as typed, and skipped files counted in the summary and the exit code.
 */
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { tempDir } from '../support/files';
import { allKeys, checkingClient, freshBucket, localS3 } from '../support/s3env';

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let proxy: FaultProxy;
let bucket: string;
let env: Record<string, string>;

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  proxy = await startFaultProxy(s3.endpoint);
  bucket = await freshBucket(client, 'setup');
  env = { ...s3.env, AWS_ENDPOINT_URL: proxy.url };
});

afterAll(() => proxy.close());

function folderWith(label: string, names: string[]): string {
  const folder = tempDir(label);
  for (const name of names) writeFileSync(path.join(folder, name), name);
  return folder;
}

function upload(source: string, destination: string, ...flags: string[]) {
  return runCli(['upload', source, destination, '--journal', tempDir('journal'), ...flags], env);
}

describe('checked before the first file', () => {
  it('--part-size 6GiB is refused with exit 2 before any request', async () => {
    const folder = folderWith('part-size', ['a.jpg']);
    const before = proxy.requests.length;
    const result = await upload(folder, `s3://${bucket}/x/`, '--part-size', '6GiB');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^bucketdrop: --part-size can be at most 4 GiB here/);
    expect(proxy.requests.length).toBe(before);
  });

  it('a part size times parts in flight over the memory budget lowers parts in flight, said once', async () => {
    const folder = folderWith('budget', ['a.jpg']);
    const result = await upload(
      folder,
      `s3://${bucket}/budget/`,
      '--part-size',
      '1GiB',
      '--part-concurrency',
      '4',
    );
    expect(result.code).toBe(0);
    const notes = result.stdout.split('\n').filter((line) => line.startsWith('Note:'));
    expect(notes).toEqual([
      'Note: 4 parts of 1 GiB in flight would hold 4 GiB of memory, over the 2 GiB budget: sending 2 at a time instead.',
    ]);
  });

  it('a missing bucket with 1,000 files gives one error and exit 2, with no request per file', async () => {
    const folder = tempDir('missing-bucket');
    for (let i = 0; i < 1000; i++) writeFileSync(path.join(folder, `${i}.jpg`), String(i));
    const before = proxy.requests.length;
    const result = await upload(folder, 's3://no-such-bucket-here/x/');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'bucketdrop: the bucket "no-such-bucket-here" does not exist; nothing was uploaded\n',
    );
    expect(proxy.requests.slice(before).map((r) => r.operation)).toEqual(['HeadBucket']);
  });

  it('a server error on the bucket check is retried, not taken for a missing bucket', async () => {
    const folder = folderWith('check-retried', ['x.jpg']);
    proxy.addRule({ match: (r) => r.operation === 'HeadBucket', fault: 'internalError500' });
    const before = proxy.requests.length;
    const result = await upload(folder, `s3://${bucket}/retried/`);
    expect(result.code, result.stderr).toBe(0);
    const checks = proxy.requests.slice(before).filter((r) => r.operation === 'HeadBucket');
    expect(checks.map((r) => r.status)).toEqual([500, 200]);
    expect(await allKeys(client, bucket, 'retried/')).toEqual([
      `retried/${path.basename(folder)}/x.jpg`,
    ]);
  });

  it('s3://b/a//b/ lands under a//b/, with a warning that it looks like a typo', async () => {
    const folder = folderWith('double-slash', ['x.jpg']);
    const result = await upload(path.join(folder, 'x.jpg'), `s3://${bucket}/a//b/`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`→ s3://${bucket}/a//b/`);
    expect(result.stdout).toContain('Warning: the prefix "a//b/" contains "//"');
    expect(await allKeys(client, bucket, 'a/')).toEqual(['a//b/x.jpg']);
  });

  it('a prefix with .. is a usage error, exit 2', async () => {
    const folder = folderWith('dotdot', ['x.jpg']);
    const result = await upload(folder, `s3://${bucket}/a/../b/`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the prefix "a/../b/" contains "." or ".." segments');
  });
});

describe('every file asked for is accounted for', () => {
  it('a name that is not valid UTF-8 is skipped with its real reason, counted, and exits 2', async () => {
    const folder = folderWith('not-utf8', ['good.jpg']);
    // "f\xff.jpg": valid on Linux, not UTF-8.
    writeFileSync(
      Buffer.concat([Buffer.from(`${folder}/f`), Buffer.from([0xff]), Buffer.from('.jpg')]),
      'x',
    );
    const result = await upload(folder, `s3://${bucket}/utf8/`);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('the name is not valid UTF-8, and S3 keys must be');
    expect(result.stdout).not.toMatch(/no longer exists|Unicode-normalized/);
    expect(result.stdout).toContain('1 uploaded, 1 skipped, 0 failed');
  });

  it('an unreadable sub-folder (run as nobody): its files are counted as skipped, grouped, and the exit code is 2', async () => {
    const root = tempDir('unreadable');
    chmodSync(root, 0o755);
    const shoot = path.join(root, 'Shoot');
    mkdirSync(path.join(shoot, 'day1'), { recursive: true });
    mkdirSync(path.join(shoot, 'day2'));
    mkdirSync(path.join(shoot, 'day3'));
    writeFileSync(path.join(shoot, 'day1', 'a.jpg'), 'a');
    for (let i = 0; i < 50; i++) writeFileSync(path.join(shoot, 'day2', `${i}.jpg`), 'x');
    writeFileSync(path.join(shoot, 'day3', 'z.jpg'), 'z');
    // day2: names listed, files not reachable; day3: not even listed.
    chmodSync(path.join(shoot, 'day2'), 0o744);
    chmodSync(path.join(shoot, 'day3'), 0o700);
    const home = tempDir('nobody-home');
    const journal = path.join(home, 'journal');
    mkdirSync(journal);
    chownSync(home, 65534, 65534);
    chownSync(journal, 65534, 65534);

    const result = await runCli(
      ['upload', shoot, `s3://${bucket}/nobody/`, '--journal', journal],
      { ...env, HOME: home },
      [],
      { uid: 65534, gid: 65534 },
    );
    expect(result.stdout).toContain('1 uploaded, 51 skipped, 0 failed');
    expect(result.stdout).toContain(
      `  50 skipped: permission denied: the file cannot be read (${shoot}/day2/)`,
    );
    expect(result.stdout).toContain(
      `  1 skipped: permission denied: the folder cannot be read, so none of its files are uploaded (${shoot}/day3/)`,
    );
    expect(result.code).toBe(2);
  });

  it('an unwritable journal folder is named with the cause (run as nobody)', async () => {
    const folder = folderWith('journal-denied', ['a.jpg']);
    chmodSync(folder, 0o755);
    const journal = tempDir('root-journal');
    chmodSync(journal, 0o755);
    const result = await runCli(
      ['upload', folder, `s3://${bucket}/j/`, '--journal', journal],
      { ...env, HOME: tempDir('nobody-home') },
      [],
      { uid: 65534, gid: 65534 },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `bucketdrop: the journal folder ${journal} cannot be used: permission denied: it cannot be written (choose another with --journal DIR)\n`,
    );
  });
});
