// The point-in-time restore figures of `npm run bench` (also alone: `npm run bench:restore`).
// A versioned folder of BENCH_RESTORE_KEYS keys (default 10,000; 0 skips it) gets a version
// each, then a newer one each, then every tenth key is deleted; `bucketdrop restore-prefix`
// brings it back to the moment between, through the counting fault proxy, under GNU time.
// Checked afterwards with an independent client: every key's latest ETag is the MD5 of its
// content at that moment, and planning again finds nothing to do.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { startFaultProxy, type S3Operation } from '../support/faultProxy';
import { checkingClient, localS3, REPO_ROOT, type LocalS3 } from '../support/s3env';
import { deleteAll, putAll, setupClient, versionedBucket } from '../support/versionsFixtures';
import { capture, measure } from './measure';

// The bench's own SDK clients would warn about Node 20 on every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CLI = path.join(REPO_ROOT, 'dist/cli/bucketdrop.mjs');
const LISTING: ReadonlySet<S3Operation> = new Set(['ListObjectVersions', 'ListObjectsV2']);
/** What the issue measured before: 10,000 objects in 171 s with 8 in flight, 3 requests each. */
const BEFORE = { keys: 10_000, wallSeconds: 171, requestsPerObject: 3 };
const CONCURRENCY = 16;

export interface RestoreBench {
  keys: number;
  changes: number;
  concurrency: number;
  setupSeconds: number;
  wallSeconds: number;
  objectsPerSecond: number;
  clientCpuSeconds: number;
  clientCpuMsPerObject: number;
  peakRssMb: number;
  requests: Record<string, number>;
  nonListingRequestsPerObject: number;
  verified: boolean;
  problems: string[];
}

async function latestEtags(checker: S3Client, bucket: string): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  let ContinuationToken: string | undefined;
  do {
    const page = await checker.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }),
    );
    for (const object of page.Contents ?? []) etags.set(object.Key!, object.ETag!);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return etags;
}

export async function benchPointInTimeRestore(
  s3: LocalS3,
  keysWanted: number,
  log: (line: string) => void,
): Promise<RestoreBench> {
  const started = Date.now();
  const setup = setupClient(s3);
  const bucket = await versionedBucket(s3, 'bench-restore');
  const keys = Array.from({ length: keysWanted }, (_, i) => `f/k-${String(i).padStart(6, '0')}`);
  const atT = new Map(keys.map((key) => [key, `as at T: ${key}`]));
  log(`restore bench: ${keys.length} keys into ${bucket} ...`);
  await putAll(setup, bucket, atT);
  await sleep(1100);
  const T = new Date();
  await sleep(1100);
  await putAll(setup, bucket, new Map(keys.map((key) => [key, `later: ${key}`])));
  await deleteAll(
    setup,
    bucket,
    keys.filter((_, i) => i % 10 === 0),
  );
  const setupSeconds = (Date.now() - started) / 1000;
  log(`restore bench: folder ready in ${setupSeconds.toFixed(0)} s`);

  const proxy = await startFaultProxy(s3.endpoint);
  const config = await mkdtemp(path.join(os.tmpdir(), 'bucketdrop-bench-restore-'));
  const env = {
    ...process.env,
    ...s3.env,
    AWS_ENDPOINT_URL: proxy.url,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    XDG_CONFIG_HOME: config,
  };
  const args = ['restore-prefix', `s3://${bucket}/f/`, '--at', T.toISOString(), '--json'];
  const problems: string[] = [];
  try {
    const measured = await measure(
      [process.execPath, CLI, ...args, '--concurrency', String(CONCURRENCY)],
      { env, cwd: REPO_ROOT, timeoutMs: 30 * 60_000 },
    );
    if (measured.exitCode !== 0) problems.push(`exit ${measured.exitCode}: ${measured.stderrTail}`);
    const requests: Record<string, number> = {};
    for (const request of proxy.requests) {
      requests[request.operation] = (requests[request.operation] ?? 0) + 1;
    }
    const nonListing = Object.entries(requests)
      .filter(([operation]) => !LISTING.has(operation as S3Operation))
      .reduce((sum, [, count]) => sum + count, 0);
    // Only the tail of the output is kept: its first line may be cut, the summary is last.
    const summary = JSON.parse(measured.stdoutTail.trim().split('\n').at(-1) ?? '{}') as Record<
      string,
      unknown
    >;
    const changes = Number(summary.planned ?? 0);
    if (changes !== keys.length) problems.push(`planned ${changes} changes, not ${keys.length}`);

    const etags = await latestEtags(checkingClient(s3), bucket);
    const wrong = keys.filter(
      (key) => etags.get(key) !== `"${createHash('md5').update(atT.get(key)!).digest('hex')}"`,
    );
    if (wrong.length > 0) problems.push(`${wrong.length} keys not as at T, e.g. ${wrong[0]}`);
    const again = await capture([process.execPath, CLI, ...args, '--dry-run'], env);
    if (!again.includes('"changes":0,')) problems.push(`a second plan: ${again.trim()}`);

    const cpu = measured.userSeconds + measured.sysSeconds;
    return {
      keys: keys.length,
      changes,
      concurrency: CONCURRENCY,
      setupSeconds,
      wallSeconds: measured.wallSeconds,
      objectsPerSecond: changes / measured.wallSeconds,
      clientCpuSeconds: cpu,
      clientCpuMsPerObject: (cpu * 1000) / Math.max(1, changes),
      peakRssMb: measured.peakRssBytes / 1e6,
      requests,
      nonListingRequestsPerObject: nonListing / Math.max(1, changes),
      verified: problems.length === 0,
      problems,
    };
  } finally {
    await proxy.close();
    await rm(config, { recursive: true, force: true });
  }
}

export function restoreReport(result: RestoreBench): string[] {
  const scaled = (result.wallSeconds * BEFORE.keys) / result.keys;
  return [
    `point-in-time restore of ${result.keys} keys (${result.changes} changes, ${result.concurrency} in flight):`,
    `  ${result.wallSeconds.toFixed(1)} s, ${result.objectsPerSecond.toFixed(0)} objects/s` +
      ` (before: ${BEFORE.wallSeconds} s for ${BEFORE.keys}; now ${(scaled / BEFORE.wallSeconds).toFixed(2)}× that, target < 0.33×)`,
    `  requests besides the listing: ${result.nonListingRequestsPerObject.toFixed(3)} per object` +
      ` (before: ${BEFORE.requestsPerObject}; target ≤ 1.1) ${JSON.stringify(result.requests)}`,
    `  client CPU ${result.clientCpuSeconds.toFixed(2)} s = ${result.clientCpuMsPerObject.toFixed(3)} ms per object` +
      ` (target < 1 ms), peak RSS ${result.peakRssMb.toFixed(0)} MB`,
    `  check: ${result.verified ? 'every key as at T, a second plan has nothing to do' : result.problems.join('; ')}`,
  ];
}

// Alone: builds the CLI, runs once against the running local server, writes the figures.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const keys = Number(process.env.BENCH_RESTORE_KEYS ?? 10_000);
  await capture([process.execPath, path.join(REPO_ROOT, 'scripts/build-cli.mjs')]);
  const result = await benchPointInTimeRestore(localS3(), keys, (line) => console.log(line));
  for (const line of restoreReport(result)) console.log(line);
  const folder = path.join(REPO_ROOT, 'bench-results');
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'restore-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.exit(result.verified ? 0 : 1);
}
