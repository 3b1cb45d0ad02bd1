import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  readFileSync,
  readdirSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectJournal, JOURNAL_VERSION } from '../../main/transfer/journal';
import { jsonLines, runCli, startCli } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { sha256, tempDir, writeRandomFile } from '../support/files';
import { childPidOf, identityOf, startIdleProcess, ZOMBIE_PARENT } from '../support/processes';
import {
  allKeys,
  checkingClient,
  freshBucket,
  incompleteUploads,
  localS3,
  objectBytes,
} from '../support/s3env';

const MiB = 1024 * 1024;
const FILE_SIZE = 20 * MiB + 77;
const FLAGS = ['--part-size', '5M', '--part-concurrency', '2', '--json'];

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let proxy: FaultProxy;

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  proxy = await startFaultProxy(s3.endpoint);
});

afterAll(() => proxy.close());

function cliEnv(): Record<string, string> {
  return { ...s3.env, AWS_ENDPOINT_URL: proxy.url };
}

function slowParts(operation = 'UploadPart', delayMs = 250): void {
  proxy.addRule({
    match: (request) => request.operation === operation,
    fault: 'latency',
    delayMs,
    times: Infinity,
  });
}

function progressReached(bytes: number) {
  return (line: string) =>
    line.includes('"type":"progress"') &&
    (JSON.parse(line) as { bytesDone: number }).bytesDone >= bytes;
}

function stateOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function uploadPartsSince(index: number): number {
  return proxy.requests
    .slice(index)
    .filter((request) => request.operation === 'UploadPart' && request.status === 200).length;
}

/** An upload killed with kill -9 midway; `wrapper` may keep the dead CLI a zombie. */
async function killedUpload(label: string, wrapper: string[] = []) {
  const file = path.join(tempDir(label), `${label}.tif`);
  const data = writeRandomFile(file, FILE_SIZE);
  const bucket = await freshBucket(client, label);
  const journal = tempDir('journal');
  slowParts();
  const run = startCli(
    ['upload', file, `s3://${bucket}/`, ...FLAGS, '--journal', journal],
    cliEnv(),
    wrapper,
  );
  const pid = wrapper.length > 0 ? await childPidOf(run.child) : run.child.pid!;
  await run.waitForLine(progressReached(2 * 5 * MiB));
  process.kill(pid, 'SIGKILL');
  proxy.clearRules();
  return { file, data, bucket, journal, pid, run, key: `${label}.tif` };
}

async function etags(bucket: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
    for (const object of page.Contents ?? []) {
      result.set(object.Key!, (object.ETag ?? '').replace(/"/g, ''));
    }
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return result;
}

async function expectUploaded(bucket: string, key: string, data: Buffer): Promise<void> {
  expect(sha256(await objectBytes(client, bucket, key))).toBe(sha256(data));
  expect(await incompleteUploads(client, bucket)).toEqual([]);
}

describe.runIf(process.platform === 'linux')('crash recovery on the command line', () => {
  it('resumes at once after kill -9, while the killed process is still an unreaped zombie', async () => {
    const killed = await killedUpload('zombie', ['python3', ZOMBIE_PARENT, '90']);
    await until(() => stateOf(killed.pid) === 'Z', 'the killed CLI to become a zombie');
    const resumed = await runCli(['resume', '--journal', killed.journal, '--json'], cliEnv());
    // Still unreaped: kill(pid, 0) succeeds on it, and the PID-only lock refused here.
    expect(stateOf(killed.pid)).toBe('Z');
    expect(resumed.stderr).not.toMatch(/another Bucketdrop process/);
    expect(resumed.code).toBe(0);
    await expectUploaded(killed.bucket, killed.key, killed.data);
    killed.run.child.kill('SIGKILL');
  });

  it('resumes when the lock names a PID that now belongs to a live, unrelated process', async () => {
    const killed = await killedUpload('reused-pid');
    await killed.run.result;
    const lockFile = path.join(killed.journal, 'lock');
    const left = JSON.parse(readFileSync(lockFile, 'utf8')) as Record<string, unknown>;
    expect(left.pid).toBe(killed.pid);
    const other = startIdleProcess();
    await new Promise((resolve) => other.once('spawn', resolve));
    try {
      // After a reboot the dead holder's PID is another program's, alive for as long as it runs.
      writeFileSync(
        lockFile,
        JSON.stringify({ ...left, pid: other.pid, bootId: identityOf(other.pid!).bootId }),
      );
      const resumed = await runCli(['resume', '--journal', killed.journal, '--json'], cliEnv());
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      await expectUploaded(killed.bucket, killed.key, killed.data);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('resumes past a lock from before identities that holds a live non-Bucketdrop PID', async () => {
    const killed = await killedUpload('bare-pid');
    await killed.run.result;
    const sleeper = spawn('python3', ['-c', 'import time; time.sleep(60)'], { stdio: 'ignore' });
    await new Promise((resolve) => sleeper.once('spawn', resolve));
    try {
      writeFileSync(path.join(killed.journal, 'lock'), String(sleeper.pid));
      const resumed = await runCli(['resume', '--journal', killed.journal, '--json'], cliEnv());
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      await expectUploaded(killed.bucket, killed.key, killed.data);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('lets only one of two resumes started together take the stale lock', async () => {
    const killed = await killedUpload('two-resumes');
    await killed.run.result;
    const mark = proxy.requests.length;
    const status = jsonLines(
      (await runCli(['status', '--journal', killed.journal, '--json'], s3.env)).stdout,
    );
    const item = (status[0]!.items as Array<{ uploadId: string; partsDone: number }>)[0]!;
    slowParts('UploadPart', 150);
    const [first, second] = await Promise.all([
      runCli(['resume', '--journal', killed.journal, '--json'], cliEnv()),
      runCli(['resume', '--journal', killed.journal, '--json'], cliEnv()),
    ]);
    proxy.clearRules();
    const outcomes = [first, second].map((run) => ({
      code: run.code,
      resumed: /Resuming 1 unfinished files/.test(run.stdout),
      refused: /another Bucketdrop process \(pid \d+: .*bucketdrop/.test(run.stderr),
    }));
    expect(outcomes.filter((outcome) => outcome.resumed)).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => !o.resumed)) {
      // Either refused after waiting for the other, or found nothing left once it finished.
      expect(outcome.refused || outcome.code === 0).toBe(true);
    }
    // Every missing part was sent once: the two never uploaded side by side.
    expect(uploadPartsSince(mark)).toBeLessThanOrEqual(5 - Math.min(item.partsDone, 5) + 2);
    await expectUploaded(killed.bucket, killed.key, killed.data);
    expect(readdirSync(killed.journal).filter((name) => name.startsWith('batch-'))).toEqual([]);
  });

  it('uploads all 3,000 files of a folder whose planning a kill -9 interrupted', async () => {
    const root = tempDir('planning');
    const folder = path.join(root, 'shoot');
    const contents = new Map<string, Buffer>();
    for (let i = 0; i < 3000; i++) {
      const relative = `day-${String(i % 30).padStart(2, '0')}/img-${String(i).padStart(4, '0')}.jpg`;
      contents.set(
        `shoot/${relative}`,
        writeRandomFile(path.join(folder, relative), 16 + (i % 200)),
      );
    }
    const bucket = await freshBucket(client, 'planning');
    const journal = tempDir('journal');
    const run = startCli(
      ['upload', folder, `s3://${bucket}/`, '--concurrency', '16', '--json', '--journal', journal],
      cliEnv(),
    );
    await run.waitForLine((line) => line.includes('journaled: listing the files'));
    process.kill(run.child.pid!, 'SIGSTOP');
    // Stopped during the walk: the batch is journaled, its plan is not.
    const { batches } = await inspectJournal(journal);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.intent).toEqual({ sources: [folder], prefix: '', includeJunk: false });
    process.kill(run.child.pid!, 'SIGKILL');
    await run.result;
    expect(await allKeys(client, bucket)).toEqual([]);

    const status = await runCli(['status', '--journal', journal], s3.env);
    expect(status.stdout).toMatch(/interrupted while preparing/);
    const resumed = await runCli(
      ['resume', '--concurrency', '16', '--journal', journal, '--json'],
      cliEnv(),
    );
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/1 of them interrupted while preparing/);
    expect((await allKeys(client, bucket)).sort()).toEqual([...contents.keys()].sort());
    // A single PUT's ETag is the MD5 of the bytes the server stored.
    const stored = await etags(bucket);
    for (const [key, data] of contents) {
      expect(stored.get(key), key).toBe(createHash('md5').update(data).digest('hex'));
    }
    expect(readdirSync(journal).filter((name) => name.startsWith('batch-'))).toEqual([]);
  }, 300_000);

  it('refuses a journal from a newer version and leaves its file unchanged, byte for byte', async () => {
    const journal = tempDir('journal');
    const file = path.join(journal, 'batch-from-the-future.jsonl');
    const content =
      JSON.stringify({ r: 'batch', v: JOURNAL_VERSION + 1, id: 'from-the-future', shards: [1] }) +
      '\n{"r":"chunk","torn';
    writeFileSync(file, content);
    const resumed = await runCli(['resume', '--journal', journal], s3.env);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(
      `bucketdrop: ${file} was written by a newer version of Bucketdrop (journal format ${JOURNAL_VERSION + 1}, this one reads up to ${JOURNAL_VERSION}): it is left as it is; update Bucketdrop to resume its uploads`,
    );
    const sweep = await runCli(
      ['abort-incomplete', 's3://any-bucket/', '--journal', journal],
      s3.env,
    );
    expect(sweep.code).toBe(1);
    expect(sweep.stderr).toMatch(/newer version of Bucketdrop/);
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(readdirSync(journal).sort()).toEqual(['batch-from-the-future.jsonl']);
  });

  // Skipped with its reason when not root: mounting the test's small tmpfs needs it.
  const needsRoot = process.getuid?.() === 0 ? '' : ' (skipped: mounting a tmpfs needs root)';
  it.runIf(!needsRoot)(
    `stops the batch on a full disk, keeps the journal whole, and finishes on resume${needsRoot}`,
    async () => {
      const mount = tempDir('tmpfs');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
      try {
        const journal = path.join(mount, 'journal');
        const folder = path.join(tempDir('diskfull'), 'scans');
        const files = new Map<string, Buffer>();
        for (let i = 0; i < 80; i++) {
          files.set(
            `scans/scan-${i}.png`,
            writeRandomFile(path.join(folder, `scan-${i}.png`), 20_000 + i),
          );
        }
        const bucket = await freshBucket(client, 'diskfull');
        slowParts('PutObject', 150);
        const run = startCli(
          [
            'upload',
            folder,
            `s3://${bucket}/`,
            '--concurrency',
            '2',
            '--json',
            '--journal',
            journal,
          ],
          cliEnv(),
        );
        await run.waitForLine((line) => line.includes('"state":"done"'));
        // The disk fills up (another program, a download) while the batch runs.
        const filler = path.join(mount, 'filler');
        const free = statfsSync(mount);
        writeFileSync(filler, Buffer.alloc(Math.max(0, free.bavail * free.bsize - 4096)));
        try {
          for (;;) appendFileSync(filler, Buffer.alloc(4096));
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
        }
        const stopped = await run.result;
        proxy.clearRules();
        expect(stopped.code).toBe(1);
        expect(stopped.stdout).toContain('disk full: the upload journal could not be written');
        const { batches, problems } = await inspectJournal(journal);
        expect(problems).toEqual([]);
        expect(batches[0]!.damagedLines).toBe(0);
        const left = batches[0]!.items.filter((item) => !item.finished).length;
        expect(left).toBeGreaterThan(0);

        rmSync(filler);
        const resumed = await runCli(['resume', '--journal', journal, '--json'], cliEnv());
        expect(resumed.code).toBe(0);
        expect(resumed.stdout).toContain(`Resuming ${left} unfinished files`);
        expect((await allKeys(client, bucket)).sort()).toEqual([...files.keys()].sort());
        for (const [key, data] of files) {
          expect(sha256(await objectBytes(client, bucket, key))).toBe(sha256(data));
        }
      } finally {
        execFileSync('umount', ['-l', mount]);
      }
    },
  );
});
