import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PutBucketVersioningCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../main/s3/client';
import { DownloadEngine } from '../../main/transfer/download/engine';
import { partialPathOf } from '../../main/transfer/download/fetchObject';
import { DownloadJournal } from '../../main/transfer/download/journal';
import { type DownloadSelection, planDownload } from '../../main/transfer/download/planner';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy';
import { sha256, tempDir } from '../support/files';
import { checkingClient, freshBucket } from '../support/s3env';

const KEY = 'clients/acme/hero.bin';
import { describeEachServer, type TestServer } from '../support/servers';

describeEachServer('downloading a version', (server) => {
  let s3: TestServer;
  let checker: S3Client;
  let proxy: FaultProxy;
  let bucket: string;
  /** The three versions of KEY, oldest first, each of another size. */
  const versions: { id: string; bytes: Buffer; etag: string }[] = [];

  interface SeenRequest {
    command: string;
    versionId?: string;
    range?: string;
    ifMatch?: string;
  }

  /** A client as the app builds it, recording what each GET and HEAD asked for. */
  function recordingClient(seen: SeenRequest[], endpoint = s3.endpoint): S3Client {
    const client = createS3Client({
      endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 4,
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (
          context.commandName === 'GetObjectCommand' ||
          context.commandName === 'HeadObjectCommand'
        ) {
          const headers = (args.request as { headers: Record<string, string> }).headers;
          const input = args.input as { VersionId?: string };
          seen.push({
            command: context.commandName,
            ...(input.VersionId ? { versionId: input.VersionId } : {}),
            ...(headers.range ? { range: headers.range } : {}),
            ...(headers['if-match'] ? { ifMatch: headers['if-match'] } : {}),
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordReads' },
    );
    return client;
  }

  async function download(selection: Omit<DownloadSelection, 'bucket'>, folder: string) {
    const seen: SeenRequest[] = [];
    const client = recordingClient(seen);
    const engine = new DownloadEngine(
      async () => client,
      await DownloadJournal.open(path.join(folder, '..', `${path.basename(folder)}-journal`)),
      { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
    );
    const planned = await planDownload(client, { bucket, ...selection }, folder);
    await engine.enqueue(planned.plan);
    await engine.whenIdle();
    const items = engine.items();
    await engine.shutdown();
    return { items, seen };
  }

  beforeAll(async () => {
    s3 = server;
    checker = checkingClient(s3);
    proxy = await startFaultProxy(s3.endpoint);
    bucket = await freshBucket(checker, 'download-version');
    await checker.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    for (const size of [300_000, 200_000, 100_000]) {
      const bytes = randomBytes(size);
      const response = await checker.send(
        new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: bytes }),
      );
      versions.push({ id: response.VersionId!, bytes, etag: response.ETag! });
    }
  });

  afterAll(() => proxy.close());

  function openEngine(journalDir: string, client: S3Client) {
    return DownloadJournal.open(journalDir).then(
      (journal) =>
        new DownloadEngine(async () => client, journal, {
          retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
        }),
    );
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > 20_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  describe('downloading a specific version (real local server, versioned bucket)', () => {
    it('v1 of a key with three versions arrives byte for byte, asked for by its version id', async () => {
      const folder = tempDir('dl-version');
      const v1 = versions[0]!;
      const { items, seen } = await download(
        { keys: [], prefixes: [], versions: [{ key: KEY, versionId: v1.id }] },
        folder,
      );
      expect(items.map((item) => [item.key, item.state, item.size])).toEqual([
        [KEY, 'done', v1.bytes.length],
      ]);
      expect(sha256(readFileSync(path.join(folder, 'hero.bin')))).toBe(sha256(v1.bytes));
      expect(seen.filter((request) => request.command === 'GetObjectCommand')).toEqual([
        { command: 'GetObjectCommand', versionId: v1.id },
      ]);
    });

    it('a version that does not exist fails in the queue, by name and cause', async () => {
      const folder = tempDir('dl-version-missing');
      const { items } = await download(
        { keys: [], prefixes: [], versions: [{ key: KEY, versionId: '1600000000.00000' }] },
        folder,
      );
      expect(items.map((item) => [item.key, item.state, item.error])).toEqual([
        [
          KEY,
          'failed',
          'version 1600000000.00000 does not exist on the server (it may have been deleted for good)',
        ],
      ]);
    });

    it('names each version when the plain name is taken, and keeps the existing file', async () => {
      const folder = tempDir('dl-version-names');
      const existing = Buffer.from('a file that was there before');
      writeFileSync(path.join(folder, 'hero.bin'), existing);
      const [v1, v2] = versions;
      await download(
        {
          keys: [],
          prefixes: [],
          versions: [
            { key: KEY, versionId: v1!.id },
            { key: KEY, versionId: v2!.id },
          ],
        },
        folder,
      );
      const safe = (id: string) => id.replace(/[^\w.-]/g, '_').slice(0, 32);
      expect(readdirSync(folder).sort()).toEqual(
        [
          'hero.bin',
          `hero (version ${safe(v1!.id)}).bin`,
          `hero (version ${safe(v2!.id)}).bin`,
        ].sort(),
      );
      expect(readFileSync(path.join(folder, 'hero.bin')).equals(existing)).toBe(true);
      expect(
        readFileSync(path.join(folder, `hero (version ${safe(v1!.id)}).bin`)).equals(v1!.bytes),
      ).toBe(true);
      expect(
        readFileSync(path.join(folder, `hero (version ${safe(v2!.id)}).bin`)).equals(v2!.bytes),
      ).toBe(true);
    });

    it('an interrupted download of an old version resumes, after a relaunch, for that same version', async () => {
      const folder = tempDir('dl-version-relaunch');
      const journalDir = path.join(folder, '..', `${path.basename(folder)}-journal`);
      const v1 = versions[0]!;
      proxy.addRule({
        match: (request) => request.operation === 'GetObject',
        fault: 'stall',
        afterBytes: 100_000,
        delayMs: 30_000,
      });
      const first = await openEngine(journalDir, recordingClient([], proxy.url));
      const planned = await planDownload(
        checker,
        { bucket, keys: [], prefixes: [], versions: [{ key: KEY, versionId: v1.id }] },
        folder,
      );
      await first.enqueue(planned.plan);
      const target = planned.plan.objects[0]!.target;
      const partial = partialPathOf(target);
      await until(() => existsSync(partial) && statSync(partial).size > 0, 'the first bytes');
      await new Promise((resolve) => setTimeout(resolve, 200));
      first.pause();
      await first.shutdown();
      proxy.clearRules();
      const onDisk = statSync(partial).size;
      expect(onDisk).toBeLessThan(v1.bytes.length);

      const seen: SeenRequest[] = [];
      const second = await openEngine(journalDir, recordingClient(seen));
      expect(await second.restore()).toBe(1);
      await second.whenIdle();
      expect(second.items()[0]!.state).toBe('done');
      await second.shutdown();
      expect(seen).toEqual([
        {
          command: 'GetObjectCommand',
          versionId: v1.id,
          range: `bytes=${onDisk}-`,
          ifMatch: v1.etag,
        },
      ]);
      expect(readFileSync(target).equals(v1.bytes)).toBe(true);
    });

    it('a journal written before versions could be picked still resumes, with the latest version', async () => {
      const folder = tempDir('dl-version-old-journal');
      const journalDir = path.join(folder, '..', `${path.basename(folder)}-journal`);
      mkdirSync(journalDir, { recursive: true });
      const target = path.join(folder, 'hero.bin');
      writeFileSync(
        path.join(journalDir, 'download-old-1.json'),
        JSON.stringify({
          id: 'old-1',
          createdAt: '2026-01-01T00:00:00.000Z',
          bucket,
          folder,
          items: [{ id: 'dl-old-1-0', key: KEY, target, size: 0, etag: '' }],
        }),
      );
      const seen: SeenRequest[] = [];
      const engine = await openEngine(journalDir, recordingClient(seen));
      expect(await engine.restore()).toBe(1);
      await engine.whenIdle();
      await engine.shutdown();
      expect(seen).toEqual([{ command: 'GetObjectCommand' }]);
      expect(readFileSync(target).equals(versions[2]!.bytes)).toBe(true);
    });
  });
});
