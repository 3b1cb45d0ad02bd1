/**
 * The bad-input catalogue of the README: each row's "what the user sees" is asserted here or in
 * the test the README names. Item errors are the words the queue row and the CLI both show.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Client } from '../../main/s3/client';
import { TransferEngine } from '../../main/transfer/engine';
import { Journal, readJournal } from '../../main/transfer/journal';
import { DEFAULT_JUNK_FILTER } from '../../main/transfer/junk';
import { planUpload } from '../../main/transfer/planner';
import { runCli } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { sha256, tempDir, writeRandomFile } from '../support/files';
import {
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
let bucket: string;

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  proxy = await startFaultProxy(s3.endpoint);
  bucket = await freshBucket(client, 'bad-input');
});

afterAll(() => proxy.close());
afterEach(() => {
  proxy.clearRules();
  vi.useRealTimers();
});

async function engineFor(options: { region?: string; endpoint?: string } = {}) {
  const journalDir = tempDir('journal');
  const engine = new TransferEngine(
    createS3Client({
      endpoint: options.endpoint ?? proxy.url,
      region: options.region ?? s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 8,
    }),
    await Journal.open(journalDir),
    {
      partSize: 5 * MiB,
      partsInFlight: 2,
      filesInFlight: 2,
      checksumMode: 'WHEN_REQUIRED',
      onConflict: 'overwrite',
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    },
  );
  return { engine, journalDir };
}

async function uploadOne(engine: TransferEngine, file: string, toBucket = bucket) {
  const plan = await planUpload([file], {
    bucket: toBucket,
    prefix: 'catalogue/',
    junkFilter: DEFAULT_JUNK_FILTER,
  });
  await engine.enqueue(plan);
  await engine.whenIdle();
  return { item: engine.items()[0]!, key: plan.files[0]!.key };
}

describe('bad input catalogue', () => {
  it('a file that grows during its upload is aborted and sent again whole once it is quiet', async () => {
    const file = path.join(tempDir('grown'), 'still-exporting.tif');
    writeRandomFile(file, 20 * MiB);
    const { engine } = await engineFor();
    let grown = false;
    proxy.addRule({
      match: (request) => {
        if (request.operation === 'UploadPart' && request.partNumber === 1 && !grown) {
          grown = true;
          appendFileSync(file, Buffer.alloc(MiB, 7));
        }
        return false;
      },
      fault: 'latency',
    });
    const { item, key } = await uploadOne(engine, file);

    expect(item.state).toBe('done');
    expect(item.note).toBe(
      'the file was modified while it was being uploaded, so it is uploaded again from the start',
    );
    expect(await incompleteUploads(client, bucket)).toEqual([]);
    expect(sha256(await objectBytes(client, bucket, key))).toBe(sha256(readFileSync(file)));
  });

  it('a file deleted before its turn fails alone, saying it no longer exists', async () => {
    const folder = tempDir('deleted');
    const kept = path.join(folder, 'kept.jpg');
    const gone = path.join(folder, 'gone.jpg');
    writeFileSync(kept, 'kept');
    writeFileSync(gone, 'gone');
    const { engine } = await engineFor();
    const plan = await planUpload([folder], {
      bucket,
      prefix: 'catalogue/deleted/',
      junkFilter: DEFAULT_JUNK_FILTER,
    });
    rmSync(gone);
    await engine.enqueue(plan);
    await engine.whenIdle();

    const byPath = new Map(engine.items().map((item) => [item.path, item]));
    expect(byPath.get(kept)).toMatchObject({ state: 'done' });
    expect(byPath.get(gone)).toMatchObject({
      state: 'failed',
      error: 'the file no longer exists',
    });
  });

  it('a zero-byte file becomes a zero-byte object with its content type', async () => {
    const file = path.join(tempDir('empty'), 'placeholder.png');
    writeFileSync(file, '');
    const { engine } = await engineFor();
    const { item, key } = await uploadOne(engine, file);

    expect(item.state).toBe('done');
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(0);
    expect(head.ContentType).toBe('image/png');
  });

  it('a name whose key would pass 1,024 bytes is skipped before upload, with the byte count', async () => {
    const folder = tempDir('long-key');
    const longName = `${'é'.repeat(100)}.jpg`;
    writeFileSync(path.join(folder, longName), 'x');
    const plan = await planUpload([folder], {
      bucket,
      prefix: 'deep/'.repeat(170),
      junkFilter: DEFAULT_JUNK_FILTER,
    });
    expect(plan.files).toEqual([]);
    expect(plan.skipped[0]!.reason).toMatch(/\d{4} bytes.*1024/);
  });

  it('an invalid bucket name is refused with the name and the cause', async () => {
    const file = path.join(tempDir('bad-bucket'), 'a.jpg');
    writeFileSync(file, 'a');
    const { engine } = await engineFor();
    const { item } = await uploadOne(engine, file, 'Not_A_Bucket');

    expect(item.state).toBe('failed');
    expect(item.error).toBe('the bucket name is not valid');
  });

  it('a wrong region fails naming the region the server expects', async () => {
    const file = path.join(tempDir('region'), 'a.jpg');
    writeFileSync(file, 'a');
    const { engine } = await engineFor({ region: 'eu-west-3' });
    const { item } = await uploadOne(engine, file);

    expect(item.state).toBe('failed');
    expect(item.error).toBe(
      'the request was signed for the wrong region: the server expects us-east-1, so set that region',
    );
  });

  it('a clock far off fails with the clock named as the cause', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 20 * 60_000);
    const file = path.join(tempDir('clock'), 'a.jpg');
    writeFileSync(file, 'a');
    const { engine } = await engineFor();
    const { item } = await uploadOne(engine, file);

    expect(item.state).toBe('failed');
    expect(item.error).toBe("this computer's clock is too far from the server's: correct the time");
  });

  it('a server that is gone fails the item with the cause, and the journal keeps it for later', async () => {
    const file = path.join(tempDir('gone-server'), 'a.jpg');
    writeFileSync(file, 'a');
    // Port 1 on loopback: nothing listens there, as when the server is stopped.
    const { engine, journalDir } = await engineFor({ endpoint: 'http://127.0.0.1:1' });
    const { item } = await uploadOne(engine, file);

    expect(item.state).toBe('failed');
    expect(item.error).toBe(
      'connection refused: is the endpoint URL right and the server running?',
    );
    const [batch] = await readJournal(journalDir);
    expect(batch!.items[0]).toMatchObject({ path: file });
    expect(batch!.items[0]!.finished).toBeUndefined();
  });

  it('the command line shows an invalid bucket name with the cause, once, before any file', async () => {
    const file = path.join(tempDir('cli-bad-bucket'), 'a.jpg');
    writeFileSync(file, 'a');
    const result = await runCli(['upload', file, 's3://Not_A_Bucket/x/'], s3.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'bucketdrop: the bucket name "Not_A_Bucket" is not valid; nothing was uploaded\n',
    );
    expect(result.stdout).toBe('');
  });
});
