/**
 * Security issue #13, item 8: an upload never follows a link out of the dropped folder unless the
 * user chose to, warns about key material, and never adopts a file replaced after planning.
 */
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../main/s3/client';
import { TransferEngine } from '../../main/transfer/engine';
import { Journal } from '../../main/transfer/journal';
import { DEFAULT_JUNK_FILTER } from '../../main/transfer/junk';
import { planUpload } from '../../main/transfer/planner';
import { runCli } from '../support/cli';
import { tempDir } from '../support/files';
import { allKeys, checkingClient, freshBucket, localS3 } from '../support/s3env';

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let bucket: string;

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  bucket = await freshBucket(client, 'links');
});

/** Photos/ with a photo, a link inside it, and `backup -> <home>/.ssh` holding a private key. */
function photosWithKeyLink() {
  const home = tempDir('home');
  const ssh = path.join(home, '.ssh');
  mkdirSync(ssh);
  writeFileSync(path.join(ssh, 'id_ed25519'), 'PRIVATE KEY');
  const photos = path.join(tempDir('drop'), 'Photos');
  mkdirSync(photos);
  writeFileSync(path.join(photos, 'a.jpg'), 'a');
  symlinkSync(path.join(photos, 'a.jpg'), path.join(photos, 'same-as-a.jpg'));
  symlinkSync(ssh, path.join(photos, 'backup'));
  return { photos, ssh };
}

function upload(source: string, prefix: string, ...flags: string[]) {
  return runCli(
    ['upload', source, `s3://${bucket}/${prefix}`, '--journal', tempDir('journal'), ...flags],
    s3.env,
  );
}

describe('symbolic links in a dropped folder', () => {
  it('a link to outside the folder is skipped, its target listed, and the upload exits 2', async () => {
    const { photos, ssh } = photosWithKeyLink();
    const result = await upload(photos, 'skip/');

    expect(result.stdout).toContain(
      `  - ${path.join(photos, 'backup')}: link to outside the folder (→ ${ssh})`,
    );
    expect(result.code).toBe(2);
    expect(await allKeys(client, bucket, 'skip/')).toEqual([
      'skip/Photos/a.jpg',
      'skip/Photos/same-as-a.jpg',
    ]);
  });

  it('--follow-links follows it, lists the target and warns that keys are included', async () => {
    const { photos, ssh } = photosWithKeyLink();
    const result = await upload(photos, 'follow/', '--follow-links');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`following ${path.join(photos, 'backup')} → ${ssh}`);
    expect(result.stdout).toContain(
      'Warning: 1 file looks like keys or credentials and will be uploaded: Photos/backup/id_ed25519.',
    );
    expect(await allKeys(client, bucket, 'follow/')).toContain('follow/Photos/backup/id_ed25519');
  });

  it('hidden files and .env are warned about in the plan', async () => {
    const photos = path.join(tempDir('hidden'), 'Site');
    mkdirSync(path.join(photos, '.git'), { recursive: true });
    writeFileSync(path.join(photos, '.git', 'config'), 'x');
    writeFileSync(path.join(photos, '.env'), 'SECRET=1');
    const plan = await planUpload([photos], {
      bucket,
      prefix: '',
      junkFilter: DEFAULT_JUNK_FILTER,
    });
    expect(plan.warnings).toEqual([
      '1 file looks like keys or credentials and will be uploaded: Site/.env',
      '1 hidden file is included: Site/.git/config',
    ]);
  });
});

describe('a planned file replaced before its turn', () => {
  async function engine() {
    return new TransferEngine(
      createS3Client({
        endpoint: s3.endpoint,
        region: s3.region,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        checksumMode: 'WHEN_REQUIRED',
        maxSockets: 4,
      }),
      await Journal.open(tempDir('journal')),
      { checksumMode: 'WHEN_REQUIRED' },
    );
  }

  it('by another file fails rather than being adopted', async () => {
    const folder = tempDir('replaced');
    writeFileSync(path.join(folder, 'a.jpg'), 'planned');
    const plan = await planUpload([folder], {
      bucket,
      prefix: 'replaced/',
      junkFilter: DEFAULT_JUNK_FILTER,
    });
    // Written aside and renamed over it, as editors and attackers do: another inode.
    writeFileSync(path.join(folder, 'a.jpg.new'), 'someone else');
    renameSync(path.join(folder, 'a.jpg.new'), path.join(folder, 'a.jpg'));
    const uploads = await engine();
    await uploads.enqueue(plan);
    await uploads.whenIdle();

    expect(uploads.items()[0]).toMatchObject({
      state: 'failed',
      error:
        'the file was replaced by another one since it was planned, so it is not uploaded: add it again to upload the new one',
    });
    expect(await allKeys(client, bucket, 'replaced/')).toEqual([]);
    await uploads.shutdown();
  });

  it('by a link to a secret is never read through the link', async () => {
    const folder = tempDir('swapped-link');
    const secret = path.join(tempDir('secret'), 'id_rsa');
    writeFileSync(secret, 'PRIVATE KEY');
    writeFileSync(path.join(folder, 'a.jpg'), 'planned');
    const plan = await planUpload([folder], {
      bucket,
      prefix: 'swapped/',
      junkFilter: DEFAULT_JUNK_FILTER,
    });
    rmSync(path.join(folder, 'a.jpg'));
    symlinkSync(secret, path.join(folder, 'a.jpg'));
    const uploads = await engine();
    await uploads.enqueue(plan);
    await uploads.whenIdle();

    expect(uploads.items()[0]).toMatchObject({
      state: 'failed',
      error: 'the file was replaced by a symbolic link since it was planned',
    });
    expect(await allKeys(client, bucket, 'swapped/')).toEqual([]);
    await uploads.shutdown();
  });
});
