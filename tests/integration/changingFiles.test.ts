/**
 * Files that change, vanish or turn into something else while they are uploaded (issue #26):
 * the object is always one whole version of the file, a FIFO never hangs anything, and every
 * change is said. The fault proxy holds requests so that the test can change the file mid-upload.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../main/s3/client';
import { TransferEngine } from '../../main/transfer/engine';
import { Journal } from '../../main/transfer/journal';
import { DEFAULT_JUNK_FILTER } from '../../main/transfer/junk';
import { planUpload } from '../../main/transfer/planner';
import { startCli } from '../support/cli';
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
  bucket = await freshBucket(client, 'changing');
});

afterAll(() => proxy.close());
afterEach(() => proxy.clearRules());

async function newEngine() {
  return new TransferEngine(
    createS3Client({
      endpoint: proxy.url,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 4,
    }),
    await Journal.open(tempDir('journal')),
    {
      partSize: 5 * MiB,
      // One part at a time: the change lands between two parts, as in the 200 MB report.
      partsInFlight: 1,
      filesInFlight: 1,
      checksumMode: 'WHEN_REQUIRED',
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      changeQuietMs: 300,
    },
  );
}

async function upload(engine: TransferEngine, target: string, prefix: string) {
  const plan = await planUpload([target], { bucket, prefix, junkFilter: DEFAULT_JUNK_FILTER });
  await engine.enqueue(plan);
  await engine.whenIdle();
  return plan;
}

/**
 * Python, as photo tools do: rewrite the file in place with the same size (through `mmap` when
 * asked), then put the mtime back to the nanosecond, as `touch -r` or `exiftool -P` would.
 */
function rewriteKeepingMtime(file: string, fill: number, viaMmap: boolean): void {
  const script = `
import mmap, os, sys
path, fill, via_mmap = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1'
before = os.stat(path)
with open(path, 'r+b') as f:
    if via_mmap:
        m = mmap.mmap(f.fileno(), 0)
        m[:] = bytes([fill]) * len(m)
        m.flush()
        m.close()
    else:
        f.write(bytes([fill]) * before.st_size)
os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
`;
  execFileSync('python3', ['-c', script, file, String(fill), viaMmap ? '1' : '0']);
}

/** Rewrites the file when the second part is on its way, so part 1 holds the old bytes. */
function rewriteDuringPartTwo(file: string, viaMmap: boolean): { mtimeBefore: bigint } {
  const mtimeBefore = statSync(file, { bigint: true }).mtimeNs;
  let done = false;
  proxy.addRule({
    match: (request) => {
      if (request.operation === 'UploadPart' && request.partNumber === 2 && !done) {
        done = true;
        rewriteKeepingMtime(file, 0x5a, viaMmap);
      }
      return false;
    },
    fault: 'latency',
  });
  return { mtimeBefore };
}

describe('a file changed during its upload', () => {
  for (const viaMmap of [false, true]) {
    it(`never leaves a mixed object: same-size rewrite with the mtime put back${viaMmap ? ', through mmap' : ''}`, async () => {
      const file = path.join(tempDir('rewrite'), 'portrait.tif');
      const original = writeRandomFile(file, 22 * MiB);
      const { mtimeBefore } = rewriteDuringPartTwo(file, viaMmap);
      const engine = await newEngine();
      const plan = await upload(engine, file, viaMmap ? 'mmap/' : 'rewrite/');

      // The rewrite really happened and really hid itself from size and mtime.
      const rewritten = readFileSync(file);
      expect(sha256(rewritten)).not.toBe(sha256(original));
      expect(statSync(file, { bigint: true }).mtimeNs).toBe(mtimeBefore);
      expect(rewritten.length).toBe(original.length);

      const item = engine.items()[0]!;
      expect(item.state).toBe('done');
      expect(item.note).toBe(
        'the file was modified while it was being uploaded, so it is uploaded again from the start',
      );
      const stored = await objectBytes(client, bucket, plan.files[0]!.key);
      expect(sha256(stored)).toBe(sha256(rewritten));
      expect(await incompleteUploads(client, bucket)).toEqual([]);
      await engine.shutdown();
    });
  }

  it('a single PUT of a file changed while it was sent says the object was replaced, then sends the new version', async () => {
    const file = path.join(tempDir('single'), 'small.jpg');
    writeRandomFile(file, 2 * MiB);
    let done = false;
    proxy.addRule({
      match: (request) => {
        if (request.operation === 'PutObject' && !done) {
          done = true;
          rewriteKeepingMtime(file, 0x33, false);
        }
        return false;
      },
      fault: 'latency',
    });
    const engine = await newEngine();
    const plan = await upload(engine, file, 'single/');

    const item = engine.items()[0]!;
    expect(item.state).toBe('done');
    expect(item.note).toBe(
      'the previous object was replaced by the version read before the change; uploading the new version',
    );
    const stored = await objectBytes(client, bucket, plan.files[0]!.key);
    expect(sha256(stored)).toBe(sha256(readFileSync(file)));
    expect(proxy.requests.filter((r) => r.operation === 'PutObject')).toHaveLength(2);
    await engine.shutdown();
  });
});

function mkfifo(file: string): void {
  execFileSync('python3', ['-c', 'import os, sys; os.mkfifo(sys.argv[1])', file]);
}

describe('a FIFO swapped in after planning', () => {
  it('fails that file at once, and the others upload', async () => {
    const folder = tempDir('fifo-engine');
    writeFileSync(path.join(folder, 'a.jpg'), 'a');
    writeFileSync(path.join(folder, 'b.bin'), 'b');
    writeFileSync(path.join(folder, 'c.jpg'), 'c');
    const plan = await planUpload([folder], {
      bucket,
      prefix: 'fifo/',
      junkFilter: DEFAULT_JUNK_FILTER,
    });
    rmSync(path.join(folder, 'b.bin'));
    mkfifo(path.join(folder, 'b.bin'));
    const engine = await newEngine();
    await engine.enqueue(plan);
    await engine.whenIdle();

    const states = Object.fromEntries(
      engine.items().map((item) => [path.basename(item.path), item]),
    );
    expect(states['a.jpg']!.state).toBe('done');
    expect(states['c.jpg']!.state).toBe('done');
    expect(states['b.bin']).toMatchObject({
      state: 'failed',
      error: 'not a regular file (device, socket or pipe), since it was planned',
    });
    await engine.shutdown();
  });

  it('the command line reports it failed, and SIGINT during the upload exits within 5 s', async () => {
    const folder = tempDir('fifo-cli');
    writeFileSync(path.join(folder, 'a.bin'), 'a');
    writeFileSync(path.join(folder, 'b.bin'), 'b');
    writeRandomFile(path.join(folder, 'c.bin'), 1 * MiB);
    // a.bin is slow enough for the swap to happen before b.bin's turn; c.bin is held long after.
    proxy.addRule({
      match: (request) => request.operation === 'PutObject' && request.path.endsWith('/a.bin'),
      fault: 'latency',
      delayMs: 1_500,
    });
    proxy.addRule({
      match: (request) => request.operation === 'PutObject' && request.path.endsWith('/c.bin'),
      fault: 'latency',
      delayMs: 30_000,
    });
    const cli = startCli(
      [
        'upload',
        folder,
        `s3://${bucket}/fifo-cli/`,
        '--concurrency',
        '1',
        '--journal',
        tempDir('fifo-journal'),
      ],
      { ...s3.env, AWS_ENDPOINT_URL: proxy.url },
    );
    await cli.waitForLine((line) => line.startsWith('3 files'));
    rmSync(path.join(folder, 'b.bin'));
    mkfifo(path.join(folder, 'b.bin'));
    const failure = await cli.waitForLine((line) => line.includes('b.bin'));
    expect(failure).toContain('not a regular file');
    const signalled = Date.now();
    cli.child.kill('SIGINT');
    const result = await cli.result;
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(result.code).toBe(130);
  });
});
