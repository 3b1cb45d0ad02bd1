import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../main/s3/client';
import { DownloadEngine, type DownloadEngineSettings } from '../../main/transfer/download/engine';
import {
  CHANGED_REASON,
  partialPathOf,
  writeAtOffset,
} from '../../main/transfer/download/fetchObject';
import { DownloadJournal } from '../../main/transfer/download/journal';
import { type DownloadSelection, planDownload } from '../../main/transfer/download/planner';
import { jsonLines, runCli, startCli } from '../support/cli';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy';
import { sha256, tempDir } from '../support/files';
import { checkingClient, freshBucket } from '../support/s3env';

const MiB = 1024 * 1024;
import { describeEachServer, type TestServer } from '../support/servers';

describeEachServer('downloads', (server) => {
  let s3: TestServer;
  let checker: S3Client;
  let proxy: FaultProxy;
  let bucket: string;
  const objects = new Map<string, Buffer>();

  interface SeenGet {
    key: string;
    range?: string;
    ifMatch?: string;
  }

  /** A client as the app builds it, recording the headers of every GET. */
  function engineClient(endpoint: string, gets: SeenGet[], credentials?: [string, string]) {
    const client = createS3Client({
      endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: credentials?.[0] ?? s3.accessKeyId,
        secretAccessKey: credentials?.[1] ?? s3.secretAccessKey,
      },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 8,
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectCommand') {
          const headers = (args.request as { headers: Record<string, string> }).headers;
          const input = args.input as { Key: string };
          gets.push({
            key: input.Key,
            ...(headers.range ? { range: headers.range } : {}),
            ...(headers['if-match'] ? { ifMatch: headers['if-match'] } : {}),
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordGets' },
    );
    return client;
  }

  async function put(key: string, body: Buffer): Promise<void> {
    await checker.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    objects.set(key, body);
  }

  async function putMultipart(key: string, parts: Buffer[]): Promise<void> {
    const { UploadId } = await checker.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
    );
    const done = [];
    for (const [index, body] of parts.entries()) {
      const { ETag } = await checker.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber: index + 1,
          Body: body,
        }),
      );
      done.push({ ETag: ETag!, PartNumber: index + 1 });
    }
    await checker.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: done },
      }),
    );
    objects.set(key, Buffer.concat(parts));
  }

  async function openEngine(
    journalDir: string,
    client: S3Client,
    settings: Partial<DownloadEngineSettings> = {},
  ) {
    return new DownloadEngine(async () => client, await DownloadJournal.open(journalDir), {
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
      ...settings,
    });
  }

  async function download(selection: Omit<DownloadSelection, 'bucket'>, folder: string) {
    const gets: SeenGet[] = [];
    const client = engineClient(s3.endpoint, gets);
    const engine = await openEngine(path.join(folder, '.journal'), client);
    const planned = await planDownload(client, { bucket, ...selection }, folder);
    await engine.enqueue(planned.plan);
    await engine.whenIdle();
    const items = engine.items();
    await engine.shutdown();
    return { items, gets, engine, planned };
  }

  async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Starts a download whose GET the proxy holds midway, and pauses it there, as a quit would. */
  async function interruptedDownload(key: string, folder: string, journalDir: string) {
    proxy.addRule({
      match: (request) => request.operation === 'GetObject',
      fault: 'stall',
      afterBytes: 3 * MiB,
      delayMs: 30_000,
    });
    const engine = await openEngine(journalDir, engineClient(proxy.url, []));
    const planned = await planDownload(checker, { bucket, keys: [key], prefixes: [] }, folder);
    await engine.enqueue(planned.plan);
    const target = planned.plan.objects[0]!.target;
    const partial = partialPathOf(target);
    await until(() => existsSync(partial) && statSync(partial).size > 0, 'the first bytes');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const targetExistedMidway = existsSync(target);
    engine.pause();
    await engine.shutdown();
    proxy.clearRules();
    return { target, partial, onDisk: statSync(partial).size, targetExistedMidway };
  }

  beforeAll(async () => {
    s3 = server;
    checker = checkingClient(s3);
    proxy = await startFaultProxy(s3.endpoint);
    bucket = await freshBucket(checker, 'download');
    await put('single/photo.jpg', randomBytes(300 * 1024));
    await putMultipart('big/raw.bin', [
      randomBytes(5 * MiB),
      randomBytes(5 * MiB),
      randomBytes(2 * MiB),
    ]);
    await put('shoot/day 1/a #1.jpg', randomBytes(1000));
    await put('shoot/día 2/ünï %20 ok.jpg', randomBytes(2000));
    await put('shoot/empty/', Buffer.alloc(0));
    await put('shoot/x.txt', Buffer.from('hello'));
    await put('dup/photo.jpg', randomBytes(1000));
    await put('change/me.bin', randomBytes(8 * MiB));
    await put('resume/cli.bin', randomBytes(8 * MiB));
  });

  afterAll(() => proxy.close());

  describe('downloads against the local S3 server', () => {
    it('a single object and a multipart object arrive byte for byte, with no partial file left', async () => {
      const folder = tempDir('dl-single');
      const { items } = await download(
        { keys: ['single/photo.jpg', 'big/raw.bin'], prefixes: [] },
        folder,
      );
      expect(items.map((item) => [item.key, item.state, item.direction])).toEqual([
        ['single/photo.jpg', 'done', 'download'],
        ['big/raw.bin', 'done', 'download'],
      ]);
      expect(sha256(readFileSync(path.join(folder, 'photo.jpg')))).toBe(
        sha256(objects.get('single/photo.jpg')!),
      );
      expect(sha256(readFileSync(path.join(folder, 'raw.bin')))).toBe(
        sha256(objects.get('big/raw.bin')!),
      );
      expect(existsSync(partialPathOf(path.join(folder, 'raw.bin')))).toBe(false);
    });

    it('a prefix keeps its folders below it, with Unicode, spaces, # and % in the names', async () => {
      const folder = tempDir('dl-prefix');
      const { items } = await download({ keys: [], prefixes: ['shoot/'] }, folder);
      expect(items.every((item) => item.state === 'done')).toBe(true);
      for (const key of ['shoot/day 1/a #1.jpg', 'shoot/día 2/ünï %20 ok.jpg', 'shoot/x.txt']) {
        expect(readFileSync(path.join(folder, ...key.split('/')))).toEqual(objects.get(key));
      }
      expect(statSync(path.join(folder, 'shoot', 'empty')).isDirectory()).toBe(true);
    });

    it('an existing file is kept: the download is saved as "name (1)" and says so', async () => {
      const folder = tempDir('dl-keep');
      writeFileSync(path.join(folder, 'photo.jpg'), 'mine');
      const { items } = await download({ keys: ['single/photo.jpg'], prefixes: [] }, folder);
      expect(readFileSync(path.join(folder, 'photo.jpg'), 'utf8')).toBe('mine');
      expect(sha256(readFileSync(path.join(folder, 'photo (1).jpg')))).toBe(
        sha256(objects.get('single/photo.jpg')!),
      );
      expect(items[0]!.note).toContain('photo (1).jpg');
    });

    it('two objects of the same name in one download get a file each', async () => {
      const folder = tempDir('dl-same-name');
      const { items } = await download(
        { keys: ['single/photo.jpg', 'dup/photo.jpg'], prefixes: [] },
        folder,
      );
      expect(items.map((item) => path.basename(item.path))).toEqual(['photo.jpg', 'photo (1).jpg']);
      expect(sha256(readFileSync(path.join(folder, 'photo.jpg')))).toBe(
        sha256(objects.get('single/photo.jpg')!),
      );
      expect(readFileSync(path.join(folder, 'photo (1).jpg'))).toEqual(
        objects.get('dup/photo.jpg'),
      );
    });

    it('missing and forbidden objects fail naming the key and the cause', async () => {
      const folder = tempDir('dl-errors');
      const missing = await download({ keys: ['nope/missing.jpg'], prefixes: [] }, folder);
      expect(missing.items[0]).toMatchObject({
        key: 'nope/missing.jpg',
        error: 'the object does not exist on the server',
      });
      const client = engineClient(
        s3.endpoint,
        [],
        [s3.readOnlyAccessKeyId, s3.readOnlySecretAccessKey],
      );
      const engine = await openEngine(path.join(folder, '.journal2'), client);
      await engine.enqueue({
        bucket,
        folder,
        objects: [
          { key: 'single/photo.jpg', target: path.join(folder, 'p.jpg'), size: 0, etag: '' },
        ],
      });
      await engine.whenIdle();
      expect(engine.items()[0]).toMatchObject({
        key: 'single/photo.jpg',
        error: 'access denied: these credentials may not read this object',
      });
      await engine.shutdown();
    });

    it('an interrupted download resumes with a ranged GET for the missing bytes only; the file is named only when complete', async () => {
      const folder = tempDir('dl-resume');
      const journalDir = path.join(folder, '.journal');
      const cut = await interruptedDownload('big/raw.bin', folder, journalDir);
      expect(cut.targetExistedMidway).toBe(false);
      expect(existsSync(cut.target)).toBe(false);
      expect(cut.onDisk).toBeGreaterThan(0);
      expect(cut.onDisk).toBeLessThan(objects.get('big/raw.bin')!.length);

      // A new engine on the same journal, as after a quit and relaunch.
      const gets: SeenGet[] = [];
      const engine = await openEngine(journalDir, engineClient(s3.endpoint, gets));
      expect(await engine.restore()).toBe(1);
      await engine.whenIdle();
      expect(engine.items()[0]!.state).toBe('done');
      expect(gets).toEqual([
        {
          key: 'big/raw.bin',
          range: `bytes=${cut.onDisk}-`,
          ifMatch: expect.stringMatching(/-3"?$/),
        },
      ]);
      expect(engine.stats.bytesReceived).toBe(objects.get('big/raw.bin')!.length - cut.onDisk);
      await engine.shutdown();
      expect(sha256(readFileSync(cut.target))).toBe(sha256(objects.get('big/raw.bin')!));
      expect(existsSync(cut.partial)).toBe(false);
    });

    it('an object changed since the interruption is downloaded again from zero, with a note', async () => {
      const folder = tempDir('dl-changed');
      const journalDir = path.join(folder, '.journal');
      const cut = await interruptedDownload('change/me.bin', folder, journalDir);
      await put('change/me.bin', randomBytes(6 * MiB));
      const gets: SeenGet[] = [];
      const engine = await openEngine(journalDir, engineClient(s3.endpoint, gets));
      await engine.restore();
      await engine.whenIdle();
      const [item] = engine.items();
      expect(item!.state).toBe('done');
      expect(item!.note).toBe(CHANGED_REASON);
      expect(gets.map((get) => get.range ?? 'whole')).toEqual([`bytes=${cut.onDisk}-`, 'whole']);
      expect(engine.stats).toMatchObject({ rangedResumes: 0, restartsAfterChange: 1 });
      await engine.shutdown();
      expect(sha256(readFileSync(cut.target))).toBe(sha256(objects.get('change/me.bin')!));
    });

    it('a full disk fails the item saying so and keeps the partial file, which the retry resumes', async () => {
      const folder = tempDir('dl-enospc');
      const gets: SeenGet[] = [];
      const client = engineClient(s3.endpoint, gets);
      let written = 0;
      const fullAfterOneMiB: DownloadEngineSettings['openWriter'] = (handle, offset) => {
        const real = writeAtOffset(handle, offset);
        return new Writable({
          write(chunk: Buffer, _encoding, done) {
            if (written + chunk.length > MiB) {
              const error = Object.assign(new Error('ENOSPC: no space left on device, write'), {
                code: 'ENOSPC',
                syscall: 'write',
              });
              real.end(() => done(error));
              return;
            }
            written += chunk.length;
            real.write(chunk, done);
          },
          final(done) {
            real.end(done);
          },
        });
      };
      const engine = await openEngine(path.join(folder, '.journal'), client, {
        openWriter: fullAfterOneMiB,
      });
      const planned = await planDownload(
        client,
        { bucket, keys: ['big/raw.bin'], prefixes: [] },
        folder,
      );
      await engine.enqueue(planned.plan);
      await engine.whenIdle();
      const [item] = engine.items();
      expect(item!.state).toBe('failed');
      expect(item!.error).toMatch(/^the disk is full/);
      const partial = partialPathOf(path.join(folder, 'raw.bin'));
      expect(statSync(partial).size).toBe(written);
      await engine.shutdown();

      const retry = await openEngine(path.join(folder, '.journal'), client);
      await retry.restore();
      await retry.whenIdle();
      expect(retry.items()[0]!.state).toBe('done');
      expect(gets.at(-1)!.range).toBe(`bytes=${written}-`);
      await retry.shutdown();
      expect(sha256(readFileSync(path.join(folder, 'raw.bin')))).toBe(
        sha256(objects.get('big/raw.bin')!),
      );
    });
  });

  describe('bucketdrop download', () => {
    it('downloads a prefix and exits 0; a missing key exits 1 naming it', async () => {
      const folder = tempDir('dl-cli');
      const journal = path.join(folder, '.journal');
      const ok = await runCli(
        ['download', `s3://${bucket}/shoot/`, folder, '--journal', journal, '--json'],
        s3.env,
      );
      expect(ok.code).toBe(0);
      expect(readFileSync(path.join(folder, 'shoot', 'x.txt'), 'utf8')).toBe('hello');
      expect(readFileSync(path.join(folder, 'shoot', 'día 2', 'ünï %20 ok.jpg'))).toEqual(
        objects.get('shoot/día 2/ünï %20 ok.jpg'),
      );
      const failed = await runCli(
        ['download', `s3://${bucket}/nope.jpg`, folder, '--journal', journal],
        s3.env,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`nothing to download at s3://${bucket}/nope.jpg`);
    });

    it('a folder it may not write to fails naming the object and the cause', async () => {
      const folder = tempDir('dl-cli-readonly');
      chmodSync(folder, 0o500);
      // As root, only dropping the capability to override permissions makes them count.
      const asUser =
        process.getuid?.() === 0
          ? [
              'setpriv',
              '--bounding-set',
              '-dac_override,-dac_read_search',
              '--inh-caps',
              '-all',
              '--',
            ]
          : [];
      const result = await runCli(
        ['download', `s3://${bucket}/single/photo.jpg`, folder, '--journal', tempDir('dl-j')],
        s3.env,
        asUser,
      );
      chmodSync(folder, 0o700);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `✗ s3://${bucket}/single/photo.jpg → ${path.join(folder, 'photo.jpg')}: permission denied: the target folder is not writable`,
      );
    });

    it('killed midway, the same command resumes from the bytes on disk', async () => {
      const folder = tempDir('dl-cli-kill');
      const journal = path.join(folder, '.journal');
      await mkdir(folder, { recursive: true });
      proxy.addRule({
        match: (request) => request.operation === 'GetObject',
        fault: 'stall',
        afterBytes: 3 * MiB,
        delayMs: 30_000,
      });
      const args = [
        'download',
        `s3://${bucket}/resume/cli.bin`,
        folder,
        '--journal',
        journal,
        '--json',
      ];
      const run = startCli(args, { ...s3.env, AWS_ENDPOINT_URL: proxy.url });
      const partial = partialPathOf(path.join(folder, 'cli.bin'));
      await until(() => existsSync(partial) && statSync(partial).size > 0, 'the first bytes');
      run.child.kill('SIGKILL');
      await run.result;
      proxy.clearRules();
      const onDisk = statSync(partial).size;
      const again = await runCli(args, s3.env);
      expect(again.code).toBe(0);
      const summary = jsonLines(again.stdout).find((line) => line.type === 'summary')!;
      expect(summary.stats).toMatchObject({
        rangedResumes: 1,
        bytesReceived: objects.get('resume/cli.bin')!.length - onDisk,
      });
      expect(sha256(readFileSync(path.join(folder, 'cli.bin')))).toBe(
        sha256(objects.get('resume/cli.bin')!),
      );
    });
  });
});
