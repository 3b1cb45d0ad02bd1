/**
 * A point-in-time restore of 5,000 keys killed with SIGKILL half-way, then run again: it
 * finishes, nothing restored before the kill is sent again, and the audit log has each key once.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../main/versions/audit';
import { jsonLines, runCli, startCli } from '../support/cli';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from '../support/faultProxy';
import { tempDir } from '../support/files';
import { checkingClient, type LocalS3 } from '../support/s3env';
import { deleteAll, putAll, setupClient, versionedBucket } from '../support/versionsFixtures';
import { testServer } from '../support/servers';

const KEYS = 5000;
const CONCURRENCY = 16;

/** The latest ETag of every key under the prefix (an MD5 of the bytes for single-part objects). */
async function latestEtags(checker: S3Client, bucket: string, prefix: string) {
  const etags = new Map<string, string>();
  let ContinuationToken: string | undefined;
  do {
    const page = await checker.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }),
    );
    for (const object of page.Contents ?? []) etags.set(object.Key!, object.ETag!);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return etags;
}

// 5,000 keys take minutes to set up: this proof runs on Swift alone.
describe('a point-in-time restore killed half-way [swift]', () => {
  let s3: LocalS3;
  let proxy: FaultProxy;
  let bucket: string;
  let T: Date;
  const keys = Array.from({ length: KEYS }, (_, i) => `big/k-${String(i).padStart(5, '0')}.jpg`);
  const atT = new Map(keys.map((key) => [key, `as at T: ${key}`]));

  beforeAll(async () => {
    s3 = testServer('swift');
    proxy = await startFaultProxy(s3.endpoint);
    const setup = setupClient(s3);
    bucket = await versionedBucket(s3, 'resume');
    await putAll(setup, bucket, atT);
    await sleep(1100);
    T = new Date();
    await sleep(1100);
    // Half the keys get a newer version (restored by a copy), half are deleted (undeleted).
    const edited = keys.filter((_, i) => i % 2 === 0);
    await putAll(setup, bucket, new Map(edited.map((key) => [key, `edited later: ${key}`])));
    await deleteAll(
      setup,
      bucket,
      keys.filter((_, i) => i % 2 === 1),
    );
  }, 900_000);
  afterAll(() => proxy.close());

  it('finishes on the rerun without sending again what was done, auditing each key once', async () => {
    const config = tempDir('versions-resume-config');
    const env = { ...s3.env, AWS_ENDPOINT_URL: proxy.url, XDG_CONFIG_HOME: config };
    const args = [
      'restore-prefix',
      `s3://${bucket}/big/`,
      '--at',
      T.toISOString(),
      '--json',
      '--concurrency',
      String(CONCURRENCY),
    ];
    const keyOf = (request: ProxiedRequest) =>
      decodeURIComponent(request.path.slice(`/${bucket}/`.length));
    const changes = (from: number, to = proxy.requests.length) =>
      proxy.requests
        .slice(from, to)
        .filter((r) => r.operation === 'CopyObject' || r.operation === 'DeleteObject');

    const first = proxy.requests.length;
    const run = startCli(args, env);
    await run.waitForLine((line) => {
      if (!line.includes('"progress"')) return false;
      return (JSON.parse(line) as { done: number }).done >= KEYS / 4;
    });
    run.child.kill('SIGKILL');
    const killed = await run.result;
    expect(killed.signal).toBe('SIGKILL');
    // Let answers to requests in flight at the kill reach the proxy's record.
    await sleep(500);
    const second = proxy.requests.length;
    const doneBefore = new Set(
      changes(first, second)
        .filter((r) => r.status !== undefined && r.status < 300)
        .map(keyOf),
    );
    expect(doneBefore.size).toBeGreaterThanOrEqual(KEYS / 4);
    expect(doneBefore.size).toBeLessThan(KEYS);

    const rerun = await runCli(args, env);
    expect(rerun.code, rerun.stderr).toBe(0);
    const sentAgain = changes(second).map(keyOf);
    const summary = jsonLines(rerun.stdout).at(-1)!;
    console.info(
      `swift: ${doneBefore.size} changes before the kill, ${sentAgain.length} on the rerun; ` +
        `rerun summary ${JSON.stringify(summary)}`,
    );
    expect(sentAgain.filter((key) => doneBefore.has(key))).toEqual([]);
    // At most the requests in flight at the kill were done by the store but not seen answered.
    expect(sentAgain.length).toBeLessThanOrEqual(KEYS - doneBefore.size);
    expect(sentAgain.length).toBeGreaterThanOrEqual(KEYS - doneBefore.size - CONCURRENCY);
    expect(summary).toMatchObject({ type: 'summary', failed: 0 });

    // Every key holds its content as at T (single-part ETags are the MD5 of the bytes).
    const etags = await latestEtags(checkingClient(s3), bucket, 'big/');
    expect(etags.size).toBe(KEYS);
    for (const key of keys) {
      const md5 = createHash('md5').update(atT.get(key)!).digest('hex');
      expect(etags.get(key), key).toBe(`"${md5}"`);
    }

    const audit = readFileSync(
      path.join(config, 'Bucketdrop', 'audit', 'versions-audit.jsonl'),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    const perKey = new Map<string, number>();
    for (const entry of audit) {
      expect(entry.result, `${entry.key}: ${entry.detail}`).toBe('ok');
      perKey.set(entry.key, (perKey.get(entry.key) ?? 0) + 1);
    }
    expect(perKey.size).toBe(KEYS);
    expect([...perKey.values()].every((count) => count === 1)).toBe(true);
    // The finished job leaves no journal behind.
    const jobs = path.join(config, 'Bucketdrop', 'restore-jobs');
    expect(existsSync(jobs) ? readdirSync(jobs) : []).toEqual([]);
  }, 1_200_000);
});
