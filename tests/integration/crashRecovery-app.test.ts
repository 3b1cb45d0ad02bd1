import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice, ProgressSnapshot } from '../../preload/contract';
import { createS3Client } from '../../main/s3/client';
import { SettingsStore } from '../../main/service/settings';
import { UploadService } from '../../main/service/uploadService';
import { inspectJournal, JOURNAL_VERSION } from '../../main/transfer/journal';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { sha256, tempDir, writeRandomFile } from '../support/files';
import { identityOf, startIdleProcess } from '../support/processes';
import {
  allKeys,
  checkingClient,
  freshBucket,
  incompleteUploads,
  localS3,
  objectBytes,
} from '../support/s3env';

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let proxy: FaultProxy;

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  proxy = await startFaultProxy(s3.endpoint);
});

afterAll(() => proxy.close());

/** The upload service as the app builds it, on a data folder, through the counting proxy. */
async function openService(dataDir: string) {
  const notices: Notice[] = [];
  let latest: ProgressSnapshot | null = null;
  const engineClient = createS3Client({
    endpoint: proxy.url,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    checksumMode: 'WHEN_REQUIRED',
    maxSockets: 16,
  });
  const service = await UploadService.create({
    dataDir,
    settings: await SettingsStore.open(dataDir),
    clients: {
      clientFor: async () => engineClient,
      checksumModeFor: async () => 'WHEN_REQUIRED',
    },
    pickPaths: async () => null,
    onProgress: (snapshot) => (latest = snapshot),
    onNotice: (notice) => notices.push(notice),
  });
  return { service, notices, latest: () => latest };
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let waited = 0; !(await check()); waited += 50) {
    if (waited > 60_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function folderOf(count: number, label: string) {
  const folder = path.join(tempDir(label), 'Scans');
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    files.set(
      `Scans/scan-${i}.png`,
      writeRandomFile(path.join(folder, `scan-${i}.png`), 20_000 + i),
    );
  }
  return { folder, files };
}

describe.runIf(process.platform === 'linux')('crash recovery in the upload service', () => {
  it('opens at once past a lock whose PID now belongs to a live, unrelated process', async () => {
    const dataDir = tempDir('data');
    const other = startIdleProcess();
    await new Promise((resolve) => other.once('spawn', resolve));
    try {
      mkdirSync(path.join(dataDir, 'journal'), { recursive: true });
      writeFileSync(
        path.join(dataDir, 'journal', 'lock'),
        JSON.stringify({ ...identityOf(other.pid!), startTime: '12' }),
      );
      const started = Date.now();
      const { service } = await openService(dataDir);
      expect(Date.now() - started).toBeLessThan(2_000);
      await service.shutdown();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('refuses a second service on the same journal, naming the holder', async () => {
    const dataDir = tempDir('data');
    const { service } = await openService(dataDir);
    await expect(openService(dataDir)).rejects.toThrow(
      /another Bucketdrop process \(pid \d+: this process\) is using the journal/,
    );
    await service.shutdown();
  });

  it('announces a journal from a newer version and leaves it untouched', async () => {
    const dataDir = tempDir('data');
    const file = path.join(dataDir, 'journal', 'batch-next.jsonl');
    mkdirSync(path.dirname(file), { recursive: true });
    const content = JSON.stringify({ r: 'batch', v: JOURNAL_VERSION + 1, id: 'next' }) + '\n';
    writeFileSync(file, content);
    const { service, notices } = await openService(dataDir);
    await service.shutdown();
    expect(notices).toContainEqual({
      kind: 'error',
      message: expect.stringMatching(
        /batch-next\.jsonl was written by a newer version of Bucketdrop/,
      ),
    });
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  // Skipped with its reason when not root: mounting the test's small tmpfs needs it.
  const needsRoot = process.getuid?.() === 0 ? '' : ' (skipped: mounting a tmpfs needs root)';
  it.runIf(!needsRoot)(
    `pauses the batch on a full disk and finishes it after space is freed${needsRoot}`,
    async () => {
      const dataDir = tempDir('tmpfs');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dataDir]);
      try {
        const bucket = await freshBucket(client, 'app-diskfull');
        const { folder, files } = folderOf(80, 'app-diskfull');
        const { service, latest } = await openService(dataDir);
        proxy.addRule({
          match: (request) => request.operation === 'PutObject',
          fault: 'latency',
          delayMs: 150,
          times: Infinity,
        });
        await service.updateSettings({ filesInFlight: 2 });
        const preflight = await service.planDropped({
          paths: [folder],
          destination: { bucket, prefix: '' },
        });
        await service.startUpload({ preflightId: preflight.id, onConflict: 'overwrite' });
        await until(() => (latest()?.overall.filesDone ?? 0) > 0, 'a first file');
        const filler = path.join(dataDir, 'filler');
        const free = statfsSync(dataDir);
        writeFileSync(filler, Buffer.alloc(Math.max(0, free.bavail * free.bsize - 4096)));
        try {
          for (;;) appendFileSync(filler, Buffer.alloc(4096));
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
        }
        await until(() => !service.hasActiveUploads(), 'the batch to stop');
        proxy.clearRules();
        const items = (await service.queueSnapshot()).items;
        expect(items.filter((item) => item.state === 'paused').length).toBeGreaterThan(0);
        expect(items.map((item) => item.error)).toContain(
          'disk full: the upload journal could not be written',
        );
        const journal = await inspectJournal(path.join(dataDir, 'journal'));
        expect(journal.problems).toEqual([]);
        expect(journal.batches[0]!.damagedLines).toBe(0);

        rmSync(filler);
        await service.resumeUnfinished();
        await until(
          async () => (await service.queueSnapshot()).overall.filesDone === files.size,
          'every file',
        );
        await service.shutdown();
        expect((await allKeys(client, bucket)).sort()).toEqual([...files.keys()].sort());
        for (const [key, data] of files) {
          expect(sha256(await objectBytes(client, bucket, key))).toBe(sha256(data));
        }
        expect(await incompleteUploads(client, bucket)).toEqual([]);
      } finally {
        execFileSync('umount', ['-l', dataDir]);
      }
    },
  );
});
