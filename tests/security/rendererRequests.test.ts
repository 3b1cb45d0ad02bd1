import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { REQUEST_SCHEMAS } from '../../main/ipc/schemas';
import { INVOKE } from '../../preload/contract';
import { MainHost } from '../e2e/harness';
import { tempDir, writeRandomFile } from '../support/files';
import { allKeys, checkingClient, freshBucket, localS3, type LocalS3 } from '../support/s3env';

let s3: LocalS3;
let client: S3Client;
let bucket: string;
let host: MainHost;
let dataDir: string;
let home: string;

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  bucket = await freshBucket(client, 'renderer-requests');
  home = tempDir('home');
  dataDir = path.join(home, '.config', 'Bucketdrop');
  mkdirSync(dataDir, { recursive: true });
  // The stand-in main process: real services and IPC dispatch; HOME decides the secret folders.
  host = await MainHost.start(dataDir, { ...s3.env, HOME: home });
});

afterAll(async () => {
  await host?.kill();
});

type Result = { ok: true; value: unknown } | { ok: false; error: string };
const destination = () => ({ bucket, prefix: 'in/' });
const plan = (paths: string[]) =>
  host.invoke(INVOKE.planDropped, { paths, destination: destination() }) as Promise<Result>;

describe('#13 item 6: paths the window sends are not trusted', () => {
  it('never plans the app’s own data folder, or a folder holding it, or a link to it', async () => {
    writeFileSync(path.join(dataDir, 'secrets.json'), '{}');
    const link = path.join(tempDir('links'), 'innocent');
    symlinkSync(dataDir, link);
    for (const refused of [dataDir, path.join(dataDir, 'secrets.json'), home, link]) {
      const asked = host.confirmQuestions.length;
      const result = await plan([refused]);
      expect(result, refused).toEqual({
        ok: false,
        error: `${refused} cannot be uploaded: it is, or holds, Bucketdrop's own data folder.`,
      });
      expect(host.confirmQuestions.length).toBe(asked);
    }
  });

  it('asks in main’s native dialog before planning a secret or hidden folder', async () => {
    const ssh = path.join(home, '.ssh');
    writeRandomFile(path.join(ssh, 'id_ed25519'), 400);
    const hidden = path.join(home, 'Pictures', '.private');
    writeRandomFile(path.join(hidden, 'a.jpg'), 1000);
    for (const sensitive of [ssh, hidden]) {
      host.confirmAnswer = false;
      const refused = await plan([sensitive]);
      expect(refused).toEqual({
        ok: false,
        error: 'Not added: you chose not to upload private or hidden files.',
      });
      const question = host.confirmQuestions.at(-1)!;
      expect(question.detail).toContain(sensitive);
      host.confirmAnswer = true;
      const planned = await plan([sensitive]);
      expect(planned.ok, sensitive).toBe(true);
      expect((planned as { value: { fileCount: number } }).value.fileCount).toBe(1);
    }
  });

  it('plans an ordinary folder without asking', async () => {
    const folder = path.join(home, 'Pictures', 'Shoot');
    writeRandomFile(path.join(folder, 'b.jpg'), 1000);
    const asked = host.confirmQuestions.length;
    const planned = await plan([folder]);
    expect(planned.ok).toBe(true);
    expect(host.confirmQuestions.length).toBe(asked);
  });

  it('refuses an oversized list by its size, before parsing it', () => {
    const huge = {
      bucket,
      keys: new Array<string>(2_000_000).fill('k'),
      prefixes: [],
    };
    let started = performance.now();
    expect(REQUEST_SCHEMAS[INVOKE.downloadObjects].safeParse(huge).success).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);

    // An object's keys can only be counted by walking them, which costs about what receiving
    // them over IPC did; parsing every entry, as before the cap, costs several times more.
    const perKey = Object.fromEntries(
      Array.from({ length: 300_000 }, (_, i) => [`k${i}`, 'skip' as const]),
    );
    const request = { preflightId: 'p', onConflict: 'skip', perKey };
    started = performance.now();
    expect(REQUEST_SCHEMAS[INVOKE.startUpload].safeParse(request).success).toBe(false);
    const refusedIn = performance.now() - started;
    started = performance.now();
    z.record(z.string().max(1024), z.enum(['overwrite', 'skip', 'rename'])).safeParse(perKey);
    const fullParse = performance.now() - started;
    expect(refusedIn).toBeLessThan(fullParse / 2);
  });
});

describe('#13 item 14: deletions that cannot be undone are confirmed by main', () => {
  it('asks, naming the count and the bucket, before deleting a folder', async () => {
    for (const key of ['trip/a.jpg', 'trip/b.jpg', 'trip/day2/c.jpg', 'keep.jpg']) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    }
    const request = { bucket, keys: ['keep.jpg'], prefixes: ['trip/'] };
    host.confirmAnswer = false;
    expect(await host.invoke(INVOKE.deleteObjects, request)).toEqual({
      ok: false,
      error: 'Nothing was deleted.',
    });
    expect(host.confirmQuestions.at(-1)!.message).toBe(
      `Delete 1 file and 1 folder holding 3 objects from bucket ${bucket}?`,
    );
    expect(await allKeys(client, bucket, 'trip/')).toHaveLength(3);
    expect(await allKeys(client, bucket, 'keep')).toEqual(['keep.jpg']);

    host.confirmAnswer = true;
    expect(await host.invoke(INVOKE.deleteObjects, request)).toMatchObject({
      ok: true,
      value: { deleted: 4 },
    });
    expect(await allKeys(client, bucket, 'trip/')).toEqual([]);
  });

  it('asks before a permanent version delete, after the typed-key check', async () => {
    const typedWrong = await host.invoke(INVOKE.deleteVersionPermanently, {
      bucket,
      key: 'v.jpg',
      versionId: 'abc',
      typedKey: 'v.jpeg',
    });
    expect(typedWrong).toEqual({ ok: false, error: 'The request was not valid.' });
    const asked = host.confirmQuestions.length;
    host.confirmAnswer = false;
    const refused = await host.invoke(INVOKE.deleteVersionPermanently, {
      bucket,
      key: 'v.jpg',
      versionId: 'abc',
      typedKey: 'v.jpg',
    });
    expect(refused).toEqual({ ok: false, error: 'Nothing was deleted.' });
    expect(host.confirmQuestions.length).toBe(asked + 1);
    expect(host.confirmQuestions.at(-1)!.message).toBe(
      `Permanently delete 1 version of v.jpg from bucket ${bucket}?`,
    );
  });
});
