import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AbortMultipartUploadCommand, ListPartsCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli, startCli } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { sha256, tempDir, writeRandomFile } from '../support/files';
import { checkingClient, freshBucket, incompleteUploads, objectBytes } from '../support/s3env';

const MiB = 1024 * 1024;
const FILE_SIZE = 40 * MiB + 123;
const PART_COUNT = 9;
import { describeEachServer, type TestServer } from '../support/servers';

describeEachServer('resume after a crash', (server) => {
  let s3: TestServer;
  let client: S3Client;
  let proxy: FaultProxy;

  beforeAll(async () => {
    s3 = server;
    client = checkingClient(s3);
    proxy = await startFaultProxy(s3.endpoint);
  });

  afterAll(() => proxy.close());

  function cliEnv(): Record<string, string> {
    return { ...s3.env, AWS_ENDPOINT_URL: proxy.url };
  }

  const UPLOAD_FLAGS = ['--part-size', '5M', '--part-concurrency', '2', '--json'];

  /** An upload whose parts the proxy slows down, so that it can be interrupted midway. */
  function startSlowUpload(file: string, bucket: string, journal: string) {
    proxy.addRule({
      match: (request) => request.operation === 'UploadPart',
      fault: 'latency',
      delayMs: 250,
      times: Infinity,
    });
    return startCli(
      ['upload', file, `s3://${bucket}/`, ...UPLOAD_FLAGS, '--journal', journal],
      cliEnv(),
    );
  }

  /** Starts a slow upload and kill -9s it once `partsBeforeKill` parts are done. */
  async function uploadAndKill(file: string, bucket: string, journal: string, partsBeforeKill = 3) {
    const run = startSlowUpload(file, bucket, journal);
    await run.waitForLine((line) => {
      if (!line.includes('"type":"progress"')) return false;
      return (JSON.parse(line) as { bytesDone: number }).bytesDone >= partsBeforeKill * 5 * MiB;
    });
    run.child.kill('SIGKILL');
    const killed = await run.result;
    proxy.clearRules();
    expect(killed.signal).toBe('SIGKILL');
    const status = jsonLines(
      (await runCli(['status', '--journal', journal, '--json'], s3.env)).stdout,
    );
    const item = (status[0]!.items as Array<{ uploadId: string; key: string }>)[0]!;
    return item;
  }

  async function serverPartNumbers(bucket: string, key: string, uploadId: string) {
    const parts = await client.send(
      new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
    );
    return (parts.Parts ?? []).map((part) => part.PartNumber!);
  }

  function uploadPartsSince(index: number): number[] {
    return proxy.requests
      .slice(index)
      .filter((request) => request.operation === 'UploadPart' && request.status === 200)
      .map((request) => request.partNumber!);
  }

  describe('crash and resume', () => {
    it('resumes after kill -9 and sends only the parts still missing', async () => {
      const dir = tempDir('crash');
      const file = path.join(dir, 'big.tif');
      const data = writeRandomFile(file, FILE_SIZE);
      const bucket = await freshBucket(client, 'crash');
      const journal = tempDir('journal');

      const unfinished = await uploadAndKill(file, bucket, journal);
      const before = await serverPartNumbers(bucket, unfinished.key, unfinished.uploadId);
      expect(before.length).toBeGreaterThanOrEqual(3);
      expect(before.length).toBeLessThan(PART_COUNT);

      const mark = proxy.requests.length;
      const resumed = await runCli(['resume', '--journal', journal, '--json'], cliEnv());
      expect(resumed.code).toBe(0);
      const sent = uploadPartsSince(mark);
      expect(sent.filter((n) => before.includes(n))).toEqual([]);
      expect([...sent].sort((a, b) => a - b)).toEqual(
        Array.from({ length: PART_COUNT }, (_, i) => i + 1).filter((n) => !before.includes(n)),
      );
      expect(sha256(await objectBytes(client, bucket, 'big.tif'))).toBe(sha256(data));
      expect(await incompleteUploads(client, bucket)).toEqual([]);
      const status = await runCli(['status', '--journal', journal], s3.env);
      expect(status.stdout).toMatch(/Nothing unfinished/);
    });

    it('restarts a file changed between the kill and the resume, and says why', async () => {
      const dir = tempDir('changed');
      const file = path.join(dir, 'edited.tif');
      writeRandomFile(file, FILE_SIZE);
      const bucket = await freshBucket(client, 'changed');
      const journal = tempDir('journal');
      await uploadAndKill(file, bucket, journal);

      appendFileSync(file, 'an edit in Lightroom');
      const resumed = await runCli(['resume', '--journal', journal, '--json'], cliEnv());
      expect(resumed.code).toBe(0);
      const notes = jsonLines(resumed.stdout)
        .filter((line) => line.type === 'item' && line.note)
        .map((line) => line.note);
      expect(notes).toContainEqual(expect.stringMatching(/file changed since the upload started/));
      expect(sha256(await objectBytes(client, bucket, 'edited.tif'))).toBe(
        sha256(readFileSync(file)),
      );
      expect(await incompleteUploads(client, bucket)).toEqual([]);
    });

    it('starts over when the unfinished upload was aborted on the server meanwhile', async () => {
      const dir = tempDir('aborted');
      const file = path.join(dir, 'gone.tif');
      const data = writeRandomFile(file, FILE_SIZE);
      const bucket = await freshBucket(client, 'aborted');
      const journal = tempDir('journal');
      const unfinished = await uploadAndKill(file, bucket, journal);
      await client.send(
        new AbortMultipartUploadCommand({
          Bucket: bucket,
          Key: unfinished.key,
          UploadId: unfinished.uploadId,
        }),
      );

      const resumed = await runCli(['resume', '--journal', journal, '--json'], cliEnv());
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(/no longer on the server/);
      expect(sha256(await objectBytes(client, bucket, 'gone.tif'))).toBe(sha256(data));
    });

    it('keeps the journal on SIGTERM and finishes on resume', async () => {
      const dir = tempDir('sigterm');
      const file = path.join(dir, 'stopped.tif');
      const data = writeRandomFile(file, FILE_SIZE);
      const bucket = await freshBucket(client, 'sigterm');
      const journal = tempDir('journal');
      const run = startSlowUpload(file, bucket, journal);
      await run.waitForLine(
        (line) => line.includes('"type":"progress"') && !line.includes('"bytesDone":0,'),
      );
      run.child.kill('SIGTERM');
      const stopped = await run.result;
      proxy.clearRules();
      expect(stopped.code).toBe(143);
      expect(stopped.stdout).toMatch(/bucketdrop resume/);
      const resumed = await runCli(['resume', '--journal', journal], cliEnv());
      expect(resumed.code).toBe(0);
      expect(sha256(await objectBytes(client, bucket, 'stopped.tif'))).toBe(sha256(data));
    });
  });
});
