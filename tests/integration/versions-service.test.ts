import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessImageDecoder } from '../../main/imaging/imageDecoder';
import { nodeDecoderLauncher } from '../../main/imaging/nodeDecoder';
import { createS3Client } from '../../main/s3/client';
import { SettingsStore } from '../../main/service/settings';
import { VersionsService } from '../../main/service/versionsService';
import { VersionStepQueue } from '../../main/service/versionStepQueue';
import type { VersionCursorView } from '../../preload/contract';
import { keyHistoryPages, type VersionEntry } from '../../main/versions/history';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, objectBytes } from '../support/s3env';
import { describeEachServer } from '../support/servers';

describeEachServer('versions service', (server) => {
  let checker: S3Client;
  let client: S3Client;
  let service: VersionsService;
  /** The shared queue's rows of applied point-in-time restores. */
  let steps: VersionStepQueue;
  let bucket: string;
  const imageDecoder = new ProcessImageDecoder(nodeDecoderLauncher());
  afterAll(() => imageDecoder.close());
  /** What the next save dialog answers. */
  let saveAnswer: string | null = null;

  async function put(key: string, body: string | Buffer, contentType = 'text/plain') {
    const response = await checker.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
    );
    return response.VersionId!;
  }

  async function remove(key: string): Promise<void> {
    await checker.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  async function history(key: string): Promise<VersionEntry[]> {
    const entries: VersionEntry[] = [];
    for await (const page of keyHistoryPages(checker, bucket, key)) entries.push(...page);
    return entries;
  }

  /** Every deleted key under a prefix, page after page as the window asks for them. */
  async function deletedKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor: VersionCursorView | undefined;
    do {
      const page = await service.listDeletedKeys({ bucket, prefix, ...(cursor && { cursor }) });
      keys.push(...page.keys.map((entry) => entry.key));
      cursor = page.next;
    } while (cursor);
    return keys;
  }

  beforeAll(async () => {
    const s3 = server;
    checker = checkingClient(s3);
    client = createS3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 8,
    });
    const dataDir = tempDir('versions-service');
    steps = new VersionStepQueue(() => {});
    service = new VersionsService({
      dataDir,
      settings: await SettingsStore.open(dataDir),
      clients: { clientFor: async () => client },
      profileName: async () => 'support desk',
      pickSaveFile: async () => saveAnswer,
      imageDecoder,
      // Small pages, so that paging shows with a handful of versions.
      pageSize: 2,
      steps,
    });
    bucket = await freshBucket(checker, 'versions-service');
  });

  describe('versions service against the local server', () => {
    it('reports a bucket that was never versioned, and enables versioning', async () => {
      expect(await service.versioningStatus({ bucket })).toBe('Unversioned');
      expect(await service.enableVersioning({ bucket })).toBe('Enabled');
    });

    it('previews an image version from its bytes and says why a text file has none', async () => {
      const small = await sharp({
        create: { width: 48, height: 20, channels: 3, background: '#c00' },
      })
        .png()
        .toBuffer();
      const v1 = await put('img/p.png', small, 'image/png');
      await put('img/p.png', 'not an image any more', 'text/plain');
      const preview = await service.previewVersion({ bucket, key: 'img/p.png', versionId: v1 });
      expect(preview).toMatchObject({ kind: 'image', width: 48, height: 20 });
      const dataUrl = preview.kind === 'image' ? preview.dataUrl : '';
      const decoded = await sharp(Buffer.from(dataUrl.split(',')[1]!, 'base64')).metadata();
      expect(decoded).toMatchObject({ width: 48, height: 20 });

      const latest = (await history('img/p.png'))[0]!;
      expect(
        await service.previewVersion({ bucket, key: 'img/p.png', versionId: latest.versionId }),
      ).toMatchObject({ kind: 'none', reason: 'No preview: img/p.png is not an image.' });
    });

    it("pages one key's history newest first, never mixing in keys that share its prefix", async () => {
      const ids: string[] = [];
      for (let i = 1; i <= 5; i++) ids.push(await put('paged/k.txt', `v${i}`));
      await put('paged/k.txt.bak', 'another key');
      const seen: string[][] = [];
      let cursor: VersionCursorView | undefined;
      do {
        const page = await service.listVersions({
          bucket,
          key: 'paged/k.txt',
          ...(cursor && { cursor }),
        });
        seen.push(page.versions.map((version) => version.versionId));
        expect(page.versions.every((version) => version.key === 'paged/k.txt')).toBe(true);
        cursor = page.next;
      } while (cursor);
      expect(seen[0]).toEqual([ids[4], ids[3]]);
      expect(seen.flat()).toEqual([...ids].reverse());
    });

    it('makes a presigned link that serves exactly that version, with its expiry', async () => {
      const v1 = await put('link/a.txt', 'first words');
      await put('link/a.txt', 'second words');
      const before = Date.now();
      const link = await service.versionLink({
        bucket,
        key: 'link/a.txt',
        versionId: v1,
        expiresInSeconds: 3600,
      });
      const expires = new Date(link.expiresAt).getTime();
      expect(expires - before).toBeGreaterThanOrEqual(3600_000 - 1000);
      expect(expires - before).toBeLessThanOrEqual(3600_000 + 5000);
      const response = await fetch(link.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('first words');
    });

    it('says when temporary credentials end a link sooner than chosen', async () => {
      const s3 = server;
      const expiration = new Date(Date.now() + 10 * 60_000);
      const shortLived = createS3Client({
        endpoint: s3.endpoint,
        region: s3.region,
        credentials: {
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
          expiration,
        },
        checksumMode: 'WHEN_REQUIRED',
        maxSockets: 2,
      });
      const dataDir = tempDir('versions-service-sts');
      const withTemporaryKeys = new VersionsService({
        dataDir,
        settings: await SettingsStore.open(dataDir),
        clients: { clientFor: async () => shortLived },
        profileName: async () => 'sso',
        pickSaveFile: async () => null,
        imageDecoder,
      });
      const versionId = await put('link/b.txt', 'b');
      const link = await withTemporaryKeys.versionLink({
        bucket,
        key: 'link/b.txt',
        versionId,
        expiresInSeconds: 604_800,
      });
      expect(link.expiresAt).toBe(expiration.toISOString());
      expect(link.note).toMatch(/temporary credentials/);
    });

    it('lists only the deleted keys under a prefix and undeletes them key by key', async () => {
      await put('docs/kept.txt', 'kept');
      await put('docs/gone-1.txt', 'gone one');
      await put('docs/gone-2.txt', 'gone two');
      await remove('docs/gone-1.txt');
      await remove('docs/gone-2.txt');
      expect(await deletedKeys('docs/')).toEqual(['docs/gone-1.txt', 'docs/gone-2.txt']);

      const results = await service.undeleteKeys({
        bucket,
        keys: ['docs/gone-1.txt', 'docs/kept.txt'],
      });
      expect(results[0]).toMatchObject({ key: 'docs/gone-1.txt', ok: true });
      expect(['removed-delete-marker', 'copied-previous-version']).toContain(results[0]!.strategy);
      expect(results[1]).toMatchObject({ key: 'docs/kept.txt', ok: false });
      expect(results[1]!.detail).toMatch(/docs\/kept\.txt is not deleted/);
      expect((await objectBytes(checker, bucket, 'docs/gone-1.txt')).toString()).toBe('gone one');
      expect(await deletedKeys('docs/')).toEqual(['docs/gone-2.txt']);
    });

    it('plans a point-in-time restore, applies it with progress, and then has nothing to do', async () => {
      await put('pit/a.txt', 'a at T');
      await put('pit/b.txt', 'b at T');
      // Stores keep whole seconds: leave a clear second either side of T.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const at = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await put('pit/a.txt', 'a edited');
      await remove('pit/b.txt');
      await put('pit/new.txt', 'created since');

      const request = { bucket, prefix: 'pit/', at, deleteCreatedSince: false };
      const plan = await service.planPointInTime(request);
      expect(plan.actions.map((action) => [action.kind, action.key])).toEqual([
        ['restore', 'pit/a.txt'],
        ['undelete', 'pit/b.txt'],
      ]);
      expect(plan.createdSince).toEqual(['pit/new.txt']);

      let progress = await service.applyPointInTime({ planId: plan.planId });
      expect(progress.total).toBe(2);
      while (!progress.finished) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        progress = await service.pointInTimeProgress({ planId: plan.planId });
      }
      expect(progress.done).toBe(2);
      expect(progress.results.every((result) => result.ok)).toBe(true);
      // Exactly what the window shows, nothing of the plan's listing (it must cross IPC as is).
      expect(progress.results.map((result) => Object.keys(result).sort())).toEqual([
        ['detail', 'key', 'kind', 'ok'],
        ['detail', 'key', 'kind', 'ok'],
      ]);
      expect((await objectBytes(checker, bucket, 'pit/a.txt')).toString()).toBe('a at T');
      expect((await objectBytes(checker, bucket, 'pit/b.txt')).toString()).toBe('b at T');
      expect((await objectBytes(checker, bucket, 'pit/new.txt')).toString()).toBe('created since');
      // The same steps are rows of the shared queue: done, the restore counting the bytes copied.
      expect(
        steps
          .snapshot()
          .items.map((item) => [
            item.key,
            item.direction,
            item.versionStep,
            item.state,
            item.size,
            item.bytesDone,
          ]),
      ).toEqual([
        ['pit/a.txt', 'restore', { kind: 'restore', at }, 'done', 6, 6],
        ['pit/b.txt', 'restore', { kind: 'undelete', at }, 'done', 0, 0],
      ]);

      const again = await service.planPointInTime(request);
      expect(again.actions).toEqual([]);
    });

    it('refuses a moment in the future and a plan it does not know', async () => {
      await expect(
        service.planPointInTime({
          bucket,
          prefix: 'pit/',
          at: new Date(Date.now() + 86_400_000).toISOString(),
          deleteCreatedSince: false,
        }),
      ).rejects.toThrow(/moment in the past/);
      await expect(
        service.pointInTimeProgress({ planId: '3f2b8c1e-2d4a-4f6b-9c8d-1e2f3a4b5c6d' }),
      ).rejects.toThrow(/compute the plan again/);
    });

    it('deletes a version permanently only when the typed key matches', async () => {
      const v1 = await put('perm/x.txt', 'one');
      await put('perm/x.txt', 'two');
      await expect(
        service.deleteVersionPermanently({
          bucket,
          key: 'perm/x.txt',
          versionId: v1,
          typedKey: 'perm/x',
        }),
      ).rejects.toThrow(/type the key name perm\/x\.txt exactly/);
      expect((await history('perm/x.txt')).map((entry) => entry.versionId)).toContain(v1);

      await service.deleteVersionPermanently({
        bucket,
        key: 'perm/x.txt',
        versionId: v1,
        typedKey: 'perm/x.txt',
      });
      const left = await history('perm/x.txt');
      expect(left.map((entry) => entry.versionId)).not.toContain(v1);
      expect(left).toHaveLength(1);
    });

    it('records each change under the connection name, newest first, and exports it', async () => {
      const entries = await service.auditLog();
      expect(entries[0]).toMatchObject({
        operation: 'permanent-delete',
        profile: 'support desk',
        key: 'perm/x.txt',
        result: 'ok',
      });
      const operations = entries.map((entry) => `${entry.operation} ${entry.key} ${entry.result}`);
      expect(operations).toEqual(
        expect.arrayContaining([
          'undelete docs/gone-1.txt ok',
          'restore pit/a.txt ok',
          'undelete pit/b.txt ok',
        ]),
      );

      saveAnswer = null;
      expect(await service.exportAuditLog({ format: 'json' })).toEqual({ savedTo: null });
      saveAnswer = path.join(tempDir('versions-service-export'), 'audit.json');
      expect(await service.exportAuditLog({ format: 'json' })).toEqual({ savedTo: saveAnswer });
      const exported = JSON.parse(readFileSync(saveAnswer, 'utf8')) as { key: string }[];
      expect(exported).toHaveLength(entries.length);
    });
  });
});
