import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateMultipartUploadCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../main/s3/client';
import type { ChecksumMode } from '../../main/s3/checksums';
import type { ConflictPolicy } from '../../main/transfer/conflicts';
import { TransferEngine } from '../../main/transfer/engine';
import { Journal, readJournal } from '../../main/transfer/journal';
import { DEFAULT_JUNK_FILTER } from '../../main/transfer/junk';
import { planUpload } from '../../main/transfer/planner';
import { runCli } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { sha256, tempDir, writeRandomFile } from '../support/files';
import {
  allKeys,
  checkingClient,
  freshBucket,
  incompleteUploads,
  localS3,
  objectBytes,
} from '../support/s3env';

const MiB = 1024 * 1024;

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let proxy: FaultProxy;

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  proxy = await startFaultProxy(s3.endpoint);
});

afterAll(() => proxy.close());
afterEach(() => {
  proxy.clearRules();
  proxy.setSeededChaos(null);
});

interface EngineOptions {
  checksumMode?: ChecksumMode;
  onConflict?: ConflictPolicy;
  accessKeyId?: string;
  secret?: string;
}

async function engineFor(options: EngineOptions = {}) {
  const checksumMode = options.checksumMode ?? 'WHEN_REQUIRED';
  const journalDir = tempDir('journal');
  const engine = new TransferEngine(
    createS3Client({
      endpoint: proxy.url,
      region: s3.region,
      credentials: {
        accessKeyId: options.accessKeyId ?? s3.accessKeyId,
        secretAccessKey: options.secret ?? s3.secretAccessKey,
      },
      checksumMode,
      maxSockets: 8,
    }),
    await Journal.open(journalDir),
    {
      partSize: 5 * MiB,
      partsInFlight: 2,
      filesInFlight: 2,
      checksumMode,
      onConflict: options.onConflict ?? 'overwrite',
      retry: { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 200 },
    },
  );
  return { engine, journalDir };
}

async function enqueue(engine: TransferEngine, paths: string[], bucket: string, prefix = '') {
  const plan = await planUpload(paths, { bucket, prefix, junkFilter: DEFAULT_JUNK_FILTER });
  await engine.enqueue(plan);
  return plan;
}

function partRequests(since: number) {
  return proxy.requests.slice(since).filter((r) => r.operation === 'UploadPart');
}

describe('engine against the local S3 server', () => {
  it('pauses and resumes a large file without re-sending finished parts', async () => {
    const bucket = await freshBucket(client, 'pause');
    const file = path.join(tempDir('pause'), 'large.tif');
    const data = writeRandomFile(file, 30 * MiB);
    const { engine } = await engineFor();
    proxy.addRule({
      match: (r) => r.operation === 'UploadPart',
      fault: 'latency',
      delayMs: 150,
      times: Infinity,
    });
    const mark = proxy.requests.length;
    await enqueue(engine, [file], bucket);
    const [item] = engine.items();
    await new Promise<void>((resolve) =>
      engine.on('progress', () => {
        if (engine.items()[0]!.bytesDone >= 10 * MiB) resolve();
      }),
    );
    engine.pause([item!.id]);
    await engine.whenIdle();
    expect(engine.items()[0]!.state).toBe('paused');
    const whilePaused = partRequests(mark).length;
    await new Promise((r) => setTimeout(r, 400));
    expect(partRequests(mark).length).toBe(whilePaused);

    engine.resume([item!.id]);
    await engine.whenIdle();
    expect(engine.items()[0]!.state).toBe('done');
    const completed = partRequests(mark)
      .filter((r) => r.status === 200)
      .map((r) => r.partNumber);
    expect(new Set(completed).size).toBe(completed.length);
    expect(sha256(await objectBytes(client, bucket, 'large.tif'))).toBe(sha256(data));
    await engine.shutdown();
  });

  it('cancel aborts the multipart upload and forgets the batch', async () => {
    const bucket = await freshBucket(client, 'cancel');
    const file = path.join(tempDir('cancel'), 'cancel.tif');
    writeRandomFile(file, 30 * MiB);
    const { engine, journalDir } = await engineFor();
    proxy.addRule({
      match: (r) => r.operation === 'UploadPart',
      fault: 'latency',
      delayMs: 150,
      times: Infinity,
    });
    await enqueue(engine, [file], bucket);
    await new Promise<void>((resolve) =>
      engine.on('progress', () => {
        if (engine.items()[0]!.bytesDone >= 5 * MiB) resolve();
      }),
    );
    engine.cancel();
    await engine.whenIdle();
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.items()[0]!.state).toBe('cancelled');
    expect(await incompleteUploads(client, bucket)).toEqual([]);
    expect(await allKeys(client, bucket)).toEqual([]);
    await engine.shutdown();
    expect(await readJournal(journalDir)).toEqual([]);
  });

  it('completes through connection resets and 503 SlowDown with identical bytes', async () => {
    const bucket = await freshBucket(client, 'faults');
    const dir = tempDir('faults');
    const big = writeRandomFile(path.join(dir, 'big.tif'), 22 * MiB);
    const small = writeRandomFile(path.join(dir, 'small.jpg'), 200_000);
    const { engine } = await engineFor({ checksumMode: 'WHEN_SUPPORTED' });
    proxy.addRule({ match: (r) => r.operation === 'UploadPart', fault: 'reset', times: 2 });
    proxy.addRule({ match: (r) => r.operation === 'UploadPart', fault: 'slowDown503', times: 3 });
    proxy.addRule({ match: (r) => r.operation === 'PutObject', fault: 'reset', times: 1 });
    await enqueue(engine, [dir], bucket);
    await engine.whenIdle();
    expect(engine.items().map((i) => i.state)).toEqual(['done', 'done']);
    expect(engine.stats.requestsRetried).toBeGreaterThanOrEqual(6);
    const prefix = `${path.basename(dir)}/`;
    expect(sha256(await objectBytes(client, bucket, `${prefix}big.tif`))).toBe(sha256(big));
    expect(sha256(await objectBytes(client, bucket, `${prefix}small.jpg`))).toBe(sha256(small));
    await engine.shutdown();
  });

  it('fails AccessDenied at once, naming the cause', async () => {
    const bucket = await freshBucket(client, 'denied');
    const file = path.join(tempDir('denied'), 'a.jpg');
    writeRandomFile(file, 1000);
    const { engine } = await engineFor({
      accessKeyId: s3.readOnlyAccessKeyId,
      secret: s3.readOnlySecretAccessKey,
    });
    const mark = proxy.requests.length;
    await enqueue(engine, [file], bucket);
    await engine.whenIdle();
    expect(engine.items()[0]).toMatchObject({
      state: 'failed',
      error: 'access denied: these credentials may not write to this bucket or key',
    });
    expect(proxy.requests.slice(mark).filter((r) => r.operation === 'PutObject')).toHaveLength(1);
    await engine.shutdown();
  });

  it('a wrong secret fails every item with a clear cause', async () => {
    const bucket = await freshBucket(client, 'secret');
    const file = path.join(tempDir('secret'), 'a.jpg');
    writeRandomFile(file, 1000);
    const { engine } = await engineFor({ secret: 'not-the-secret' });
    await enqueue(engine, [file], bucket);
    await engine.whenIdle();
    expect(engine.items()[0]).toMatchObject({
      state: 'failed',
      error: 'the secret access key is wrong (signature mismatch)',
    });
    await engine.shutdown();
  });
});

describe('a crash between CreateMultipartUpload and its journal record', () => {
  it('aborts the upload the lost answer made when the item resumes, and finishes the file', async () => {
    const bucket = await freshBucket(client, 'lost-create');
    const file = path.join(tempDir('lost-create'), 'big.tif');
    const data = writeRandomFile(file, 12 * MiB);
    const plan = await planUpload([file], { bucket, prefix: '', junkFilter: DEFAULT_JUNK_FILTER });
    const { key, size, mtimeMs, contentType } = plan.files[0]!;
    // What a kill leaves: the journal says a create was sent, the server made an upload, and
    // its id never reached the journal.
    const journalDir = tempDir('journal');
    const journal = await Journal.open(journalDir);
    await journal.startBatch(
      {
        r: 'batch',
        id: 'b1',
        createdAt: new Date().toISOString(),
        bucket,
        options: {
          checksumMode: 'WHEN_REQUIRED',
          onConflict: 'overwrite',
          partSize: 5 * MiB,
          multipartThreshold: 5 * MiB,
        },
      },
      [{ id: 'b1-0', path: file, key, size, mtimeMs, contentType }],
    );
    await journal.record('b1', { r: 'creating', item: 'b1-0', key, at: Date.now() });
    await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    await journal.close();
    expect(await incompleteUploads(client, bucket)).toHaveLength(1);

    const engine = new TransferEngine(
      createS3Client({
        endpoint: proxy.url,
        region: s3.region,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        checksumMode: 'WHEN_REQUIRED',
        maxSockets: 8,
      }),
      await Journal.open(journalDir),
      { partSize: 5 * MiB, checksumMode: 'WHEN_REQUIRED', onConflict: 'overwrite' },
    );
    await engine.restore();
    await engine.whenIdle();

    expect(engine.items()[0]).toMatchObject({ state: 'done' });
    expect(sha256(await objectBytes(client, bucket, key))).toBe(sha256(data));
    expect(await incompleteUploads(client, bucket)).toEqual([]);
    await engine.shutdown();
  });
});

describe('conflict policies', () => {
  async function uploadWith(policy: ConflictPolicy, bucket: string, file: string) {
    const { engine } = await engineFor({ onConflict: policy });
    await enqueue(engine, [file], bucket);
    await engine.whenIdle();
    const items = engine.items();
    await engine.shutdown();
    return items[0]!;
  }

  it('skip keeps the existing object and says whether it is identical', async () => {
    const bucket = await freshBucket(client, 'skip');
    const dir = tempDir('skip');
    const file = path.join(dir, 'photo.jpg');
    const original = writeRandomFile(file, 20 * MiB);
    await uploadWith('overwrite', bucket, file);
    const identical = await uploadWith('skip', bucket, file);
    expect(identical).toMatchObject({ state: 'skipped', note: 'already in the bucket, identical' });
    writeFileSync(file, 'edited');
    const different = await uploadWith('skip', bucket, file);
    expect(different.state).toBe('skipped');
    expect(different.note).toMatch(/different content; the existing object was kept/);
    expect(sha256(await objectBytes(client, bucket, 'photo.jpg'))).toBe(sha256(original));
  });

  it('rename uploads next to the existing object as "name (1).ext"', async () => {
    const bucket = await freshBucket(client, 'rename');
    const file = path.join(tempDir('rename'), 'photo.jpg');
    writeRandomFile(file, 1000);
    await uploadWith('overwrite', bucket, file);
    writeFileSync(file, 'second');
    const renamed = await uploadWith('rename', bucket, file);
    expect(renamed).toMatchObject({ state: 'done', key: 'photo (1).jpg' });
    writeFileSync(file, 'third');
    expect((await uploadWith('rename', bucket, file)).key).toBe('photo (2).jpg');
    expect((await objectBytes(client, bucket, 'photo (2).jpg')).toString()).toBe('third');
  });

  it('overwrite replaces the object', async () => {
    const bucket = await freshBucket(client, 'overwrite');
    const file = path.join(tempDir('overwrite'), 'photo.jpg');
    writeRandomFile(file, 1000);
    await uploadWith('overwrite', bucket, file);
    writeFileSync(file, 'newer');
    await uploadWith('overwrite', bucket, file);
    expect((await objectBytes(client, bucket, 'photo.jpg')).toString()).toBe('newer');
  });
});

describe('command-line failures', () => {
  const isRoot = process.getuid?.() === 0;
  // Root reads anything; dropping the override capabilities makes mode 000 mean what it says.
  const asUnprivileged = isRoot
    ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--inh-caps', '-all', '--']
    : [];

  it('an unreadable file fails alone with the file and the cause named', async () => {
    const bucket = await freshBucket(client, 'eacces');
    const dir = tempDir('eacces');
    writeRandomFile(path.join(dir, 'ok-1.jpg'), 1000);
    writeRandomFile(path.join(dir, 'ok-2.jpg'), 2000);
    const locked = path.join(dir, 'locked.jpg');
    writeRandomFile(locked, 3000);
    chmodSync(locked, 0o000);
    const result = await runCli(
      ['upload', dir, `s3://${bucket}/`, '--journal', tempDir('j')],
      s3.env,
      asUnprivileged,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `✗ ${locked} → s3://${bucket}/${path.basename(dir)}/locked.jpg: permission denied: the file cannot be read`,
    );
    const keys = await allKeys(client, bucket);
    expect(keys).toEqual([`${path.basename(dir)}/ok-1.jpg`, `${path.basename(dir)}/ok-2.jpg`]);
  });

  it('a wrong secret exits 1 with a message saying so', async () => {
    const bucket = await freshBucket(client, 'wrongkey');
    const file = path.join(tempDir('wrongkey'), 'a.jpg');
    writeRandomFile(file, 10);
    const result = await runCli(['upload', file, `s3://${bucket}/`, '--journal', tempDir('j')], {
      ...s3.env,
      AWS_SECRET_ACCESS_KEY: 'wrong',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/a\.jpg: the secret access key is wrong/);
  });

  it('abort-incomplete removes uploads no journal will finish', async () => {
    const bucket = await freshBucket(client, 'orphans');
    await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'orphan.tif' }));
    const result = await runCli(
      ['abort-incomplete', `s3://${bucket}/`, '--journal', tempDir('j')],
      s3.env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 incomplete uploads aborted/);
    expect(await incompleteUploads(client, bucket)).toEqual([]);
  });

  it('verifies the size with HEAD after completing', async () => {
    const bucket = await freshBucket(client, 'head');
    const file = path.join(tempDir('head'), 'a.jpg');
    const data = writeRandomFile(file, 17 * MiB);
    const result = await runCli(['upload', file, `s3://${bucket}/`, '--journal', tempDir('j')], {
      ...s3.env,
      AWS_ENDPOINT_URL: proxy.url,
    });
    expect(result.code).toBe(0);
    const heads = proxy.requests.filter(
      (r) => r.operation === 'HeadObject' && r.path.endsWith('/a.jpg'),
    );
    expect(heads.length).toBeGreaterThanOrEqual(1);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a.jpg' }));
    expect(head.ContentLength).toBe(data.length);
    expect(readFileSync(file).length).toBe(data.length);
  });
});
