/**
 * The app's side of issues #26 and #13 (item 8): the preflight lists links out of the folder and
 * warnings, following them is the user's choice, and the finished-batch notice counts skipped
 * files as the command line's summary does.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../preload/contract';
import { createS3Client } from '../../main/s3/client';
import { SettingsStore } from '../../main/service/settings';
import { UploadService } from '../../main/service/uploadService';
import { tempDir } from '../support/files';
import { allKeys, checkingClient, freshBucket, localS3 } from '../support/s3env';

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let bucket: string;

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  bucket = await freshBucket(client, 'app-skips');
});

async function service() {
  const dataDir = tempDir('app-data');
  const notices: Notice[] = [];
  const uploads = await UploadService.create({
    dataDir,
    settings: await SettingsStore.open(dataDir),
    clients: {
      clientFor: async () =>
        createS3Client({
          endpoint: s3.endpoint,
          region: s3.region,
          credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
          checksumMode: 'WHEN_REQUIRED',
          maxSockets: 4,
        }),
      checksumModeFor: async () => 'WHEN_REQUIRED',
    },
    pickPaths: async () => null,
    onProgress: () => undefined,
    onNotice: (notice) => notices.push(notice),
  });
  return { uploads, notices };
}

/** Shoot/ with a photo, a file whose name is not UTF-8, and `keys -> <elsewhere>/.ssh`. */
function shootFolder() {
  const ssh = path.join(tempDir('elsewhere'), '.ssh');
  mkdirSync(ssh);
  writeFileSync(path.join(ssh, 'id_rsa'), 'PRIVATE KEY');
  const shoot = path.join(tempDir('app-drop'), 'Shoot');
  mkdirSync(shoot);
  writeFileSync(path.join(shoot, 'a.jpg'), 'a');
  writeFileSync(Buffer.from(`${shoot}/b\xff.jpg`, 'latin1'), 'b');
  symlinkSync(ssh, path.join(shoot, 'keys'));
  return { shoot, ssh };
}

async function waitForNotice(notices: Notice[]): Promise<Notice> {
  for (let i = 0; i < 200 && notices.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return notices[0]!;
}

describe('the app accounts for every dropped file', () => {
  it('the preflight lists the outside link and its target; the notice counts what was skipped', async () => {
    const { shoot, ssh } = shootFolder();
    const { uploads, notices } = await service();
    const preflight = await uploads.planDropped({
      paths: [shoot],
      destination: { bucket, prefix: 'app/' },
    });
    expect(preflight.outsideLinks).toEqual([{ path: path.join(shoot, 'keys'), target: ssh }]);
    expect(preflight.skipped.map((s) => s.reason).sort()).toEqual([
      `link to outside the folder (→ ${ssh})`,
      'the name is not valid UTF-8, and S3 keys must be',
    ]);

    await uploads.startUpload({ preflightId: preflight.id, onConflict: 'overwrite' });
    const notice = await waitForNotice(notices);
    expect(notice.kind).toBe('error');
    expect(notice.message).toContain('1 file uploaded');
    expect(notice.message).toContain(
      `1 skipped: the name is not valid UTF-8, and S3 keys must be (${shoot}/)`,
    );
    expect(notice.message).toContain(`1 skipped: link to outside the folder (→ ${ssh})`);
    expect(await allKeys(client, bucket, 'app/')).toEqual(['app/Shoot/a.jpg']);
    await uploads.shutdown();
  });

  it('following the links is the user’s choice; key material is warned about', async () => {
    const { shoot } = shootFolder();
    writeFileSync(path.join(shoot, '.env'), 'SECRET=1');
    const { uploads, notices } = await service();
    const preflight = await uploads.planDropped({
      paths: [shoot],
      destination: { bucket, prefix: 'app-follow/' },
    });
    expect(preflight.warnings).toEqual([
      '1 file looks like keys or credentials and will be uploaded: Shoot/.env',
    ]);
    await uploads.startUpload({
      preflightId: preflight.id,
      onConflict: 'overwrite',
      followOutsideLinks: true,
    });
    await waitForNotice(notices);
    expect(await allKeys(client, bucket, 'app-follow/')).toEqual([
      'app-follow/Shoot/.env',
      'app-follow/Shoot/a.jpg',
      'app-follow/Shoot/keys/id_rsa',
    ]);
    await uploads.shutdown();
  });
});
