/**
 * Crash loop: the real CLI is kill -9'd at seeded random points of a multi-file, multi-part
 * upload and `resume`d after each kill until done. Every UploadPart request is counted through
 * the proxy per (key, part number): a kill may cost at most the parts in flight at that moment.
 * Used by tests/integration/crashLoop.test.ts (short) and tests/chaos/soak.ts (full).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startCli, type CliResult } from '../support/cli';
import { mulberry32, startFaultProxy } from '../support/faultProxy';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, localS3 } from '../support/s3env';
import {
  type CorpusSpec,
  type Log,
  type RunStats,
  addSummaryStats,
  emptyStats,
  formatMiB,
  partCountOf,
  sleep,
  verifyEndState,
  writeCorpus,
  cliFlags,
} from './common';

export interface CrashLoopOptions {
  label: string;
  corpus: CorpusSpec;
  /** Seed of the kill points. */
  seed: number;
  kills: number;
  /** After the first output line of a run, wait this long (uniform, seeded) before the kill. */
  killDelayMs: [number, number];
  /** Latency added to every UploadPart, so that the upload outlasts the kills. */
  partLatencyMs: number;
  concurrency: number;
  partConcurrency: number;
  /** `resume` runs allowed after the last kill. */
  maxFinalResumes: number;
  timeLimitMs: number;
  log: Log;
}

export interface CrashLoopReport {
  files: number;
  bytes: number;
  kills: number;
  killDelaysMs: number[];
  /** Runs that finished on their own before the planned kill. */
  finishedEarly: boolean;
  finalResumes: number;
  finalExitCode: number | null;
  partCount: number;
  uploadPartRequests: number;
  distinctParts: number;
  /** partCount + kills × partConcurrency. */
  partBound: number;
  maxRequestsForOnePart: number;
  /** Stats of the runs that lived to print a summary (the final resumes). */
  stats: RunStats;
  objectsVerified: number;
  problems: string[];
  elapsedMs: number;
}

export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopReport> {
  const started = Date.now();
  const deadline = started + options.timeLimitMs;
  const { log } = options;
  const { dir, files } = writeCorpus(options.label, options.corpus);
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  const multipart = files.filter((f) => f.size > 8 * 1024 * 1024);
  const partCount = multipart.reduce((sum, f) => sum + partCountOf(f.size), 0);
  log(
    `crash loop ${options.label}: ${files.length} files (${multipart.length} multi-part, ${partCount} parts), ${formatMiB(bytes)}`,
  );
  const client = checkingClient(localS3());
  const bucket = await freshBucket(client, options.label);
  client.destroy();
  const journal = tempDir('crash-journal');
  const proxy = await startFaultProxy(localS3().endpoint);
  proxy.addRule({
    match: (request) => request.operation === 'UploadPart',
    fault: 'latency',
    delayMs: options.partLatencyMs,
    times: Infinity,
  });
  const env = { ...localS3().env, AWS_ENDPOINT_URL: proxy.url };
  const flags = cliFlags(options, journal);
  const random = mulberry32(options.seed);
  const problems: string[] = [];
  const killDelaysMs: number[] = [];
  const stats = emptyStats();
  let finishedEarly = false;
  let finalResumes = 0;
  let last: CliResult | undefined;

  try {
    for (let i = 0; i < options.kills && Date.now() < deadline; i++) {
      const args = i === 0 ? ['upload', dir, `s3://${bucket}/`, ...flags] : ['resume', ...flags];
      const cli = startCli(args, env);
      const delay =
        options.killDelayMs[0] +
        Math.floor(random() * (options.killDelayMs[1] - options.killDelayMs[0]));
      const alive = await cli
        .waitForLine(() => true)
        .then(
          () => true,
          () => false,
        );
      if (alive) await Promise.race([sleep(delay), cli.result]);
      cli.child.kill('SIGKILL');
      last = await cli.result;
      if (last.signal === 'SIGKILL') {
        killDelaysMs.push(delay);
        continue;
      }
      addSummaryStats(stats, last.stdout);
      finishedEarly = true;
      log(`  run ${i + 1} ended on its own (exit ${last.code}) before its kill`);
      if (last.code === 0) break;
    }
    proxy.clearRules();
    log(`  ${killDelaysMs.length} kills, delays ${killDelaysMs.join(', ')} ms`);
    while (
      (last === undefined || last.signal !== null || last.code !== 0) &&
      finalResumes < options.maxFinalResumes
    ) {
      finalResumes++;
      last = await startCli(['resume', ...flags], env).result;
      addSummaryStats(stats, last.stdout);
      log(`  final resume #${finalResumes} exited with ${last.code ?? last.signal}`);
    }
    if (last?.code !== 0) problems.push(`unfinished after ${finalResumes} final resumes`);
  } finally {
    await proxy.close();
  }

  const perPart = new Map<string, number>();
  for (const request of proxy.requests) {
    if (request.operation !== 'UploadPart') continue;
    const id = `${request.path}#${request.partNumber}`;
    perPart.set(id, (perPart.get(id) ?? 0) + 1);
  }
  const uploadPartRequests = [...perPart.values()].reduce((a, b) => a + b, 0);
  const kills = killDelaysMs.length;
  const partBound = partCount + kills * options.partConcurrency;
  if (uploadPartRequests > partBound) {
    problems.push(
      `${uploadPartRequests} UploadPart requests > bound ${partBound} (${partCount} parts + ${kills} kills × ${options.partConcurrency})`,
    );
  }
  if (perPart.size !== partCount) {
    problems.push(`UploadPart seen for ${perPart.size} distinct parts, expected ${partCount}`);
  }
  let verification: Awaited<ReturnType<typeof verifyEndState>>;
  try {
    verification = await verifyEndState(bucket, files, journal);
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
    rmSync(journal, { recursive: true, force: true });
  }
  problems.push(...verification.problems);
  return {
    files: files.length,
    bytes,
    kills,
    killDelaysMs,
    finishedEarly,
    finalResumes,
    finalExitCode: last?.code ?? null,
    partCount,
    uploadPartRequests,
    distinctParts: perPart.size,
    partBound,
    maxRequestsForOnePart: Math.max(0, ...perPart.values()),
    stats,
    objectsVerified: verification.objectsVerified,
    problems,
    elapsedMs: Date.now() - started,
  };
}

export function describeCrashLoop(report: CrashLoopReport): string {
  return [
    `files: ${report.files}, ${formatMiB(report.bytes)}, ${report.partCount} parts`,
    `kills (-9): ${report.kills}${report.finishedEarly ? ' (a run finished before its kill)' : ''}; final resumes: ${report.finalResumes}`,
    `UploadPart requests: ${report.uploadPartRequests} for ${report.distinctParts} parts (re-sent: ${report.uploadPartRequests - report.distinctParts}, bound ${report.partBound}, most for one part: ${report.maxRequestsForOnePart})`,
    `final resume stats: retries ${report.stats.requestsRetried}, parts ${report.stats.partsUploaded}, bytes re-sent ${report.stats.bytesResent} B`,
    `objects verified (sha256): ${report.objectsVerified}/${report.files}`,
    `problems: ${report.problems.length === 0 ? 'none' : report.problems.join('; ')}`,
    `elapsed: ${(report.elapsedMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
