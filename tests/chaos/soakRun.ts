/**
 * Fault-injection soak: the real CLI uploads a corpus through the fault proxy with seeded chaos
 * while the local S3 server is restarted under it; `resume` finishes whatever the CLI gave up on.
 * Used by tests/integration/soak.test.ts (short) and tests/chaos/soak.ts (full).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { checkingClient, freshBucket, localS3 } from '../support/s3env';
import { jsonLines, startCli, type CliResult } from '../support/cli';
import { startFaultProxy, type FaultKind } from '../support/faultProxy';
import { tempDir } from '../support/files';
import {
  type CorpusSpec,
  type Log,
  type RunStats,
  addSummaryStats,
  emptyStats,
  formatMiB,
  restartServer,
  serverScript,
  startRelay,
  verifyEndState,
  writeCorpus,
  cliFlags,
} from './common';

export interface SoakOptions {
  label: string;
  corpus: CorpusSpec;
  /** Chaos seed (the corpus has its own). */
  seed: number;
  probability: number;
  /** Fault kinds chaos picks from, uniformly (repeat one to weight it); default SOAK_KINDS. */
  kinds?: FaultKind[];
  maxFaults: number;
  /** Hold time of latency and stall faults. */
  delayMs: number;
  /** Restart the server when this share of the bytes is done, one entry per restart. */
  restartAt: number[];
  concurrency: number;
  partConcurrency: number;
  /** `resume` runs allowed after the upload before giving up. */
  maxResumes: number;
  /** Wall-clock bound for the CLI runs; a run still going then is killed. */
  timeLimitMs: number;
  log: Log;
}

export interface SoakReport {
  files: number;
  bytes: number;
  multipartFiles: number;
  faultsInjected: number;
  faultsByKind: Partial<Record<FaultKind, number>>;
  /** `operation kind` → count, e.g. `HeadObject requestTimeout400`. */
  faultsByOperation: Record<string, number>;
  requests: number;
  refusedDuringRestarts: number;
  restarts: number;
  restartMs: number[];
  resumesNeeded: number;
  /** Items a run gave up on (`key: error`), i.e. why a resume was needed. */
  gaveUp: string[];
  exitCodes: (number | null)[];
  stats: RunStats;
  objectsVerified: number;
  problems: string[];
  elapsedMs: number;
}

export const SOAK_KINDS: FaultKind[] = [
  'reset',
  'slowDown503',
  'internalError500',
  'requestTimeout400',
  'latency',
  'stall',
];

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const { log } = options;
  const { dir, files } = writeCorpus(options.label, options.corpus);
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  const multipartFiles = files.filter((f) => f.size > 8 * 1024 * 1024).length;
  log(
    `soak ${options.label}: ${files.length} files (${multipartFiles} multi-part), ${formatMiB(bytes)}`,
  );
  const client = checkingClient(localS3());
  const bucket = await freshBucket(client, options.label);
  client.destroy();
  const journal = tempDir('soak-journal');
  const relay = await startRelay();
  const proxy = await startFaultProxy(relay.url);
  // Chaos pauses while the server is down: a refused connection already costs an attempt, and
  // faults on top of an outage would only exhaust the engine's 10 attempts (see the report).
  const chaosOn = (round: number) =>
    proxy.setSeededChaos({
      seed: options.seed + round,
      probability: options.probability,
      kinds: options.kinds ?? SOAK_KINDS,
      maxFaults: Math.max(0, options.maxFaults - proxy.faultsInjected),
      delayMs: options.delayMs,
    });
  chaosOn(0);
  const env = { ...localS3().env, AWS_ENDPOINT_URL: proxy.url };
  const flags = cliFlags(options, journal);
  const stats = emptyStats();
  const exitCodes: (number | null)[] = [];
  const gaveUp: string[] = [];
  const restartMs: number[] = [];
  const problems: string[] = [];
  const pendingRestarts = [...options.restartAt].sort((a, b) => a - b);
  let restarting: Promise<void> = Promise.resolve();
  let restartBusy = false;
  const deadline = started + options.timeLimitMs;

  const restartOnce = (reason: string) => {
    restartBusy = true;
    log(`  restarting the S3 server (${reason})`);
    proxy.setSeededChaos(null);
    restarting = restartServer()
      .then((ms) => {
        restartMs.push(ms);
        chaosOn(restartMs.length);
        log(`  server back after ${ms} ms`);
      })
      .catch((error: Error) => {
        problems.push(`server restart failed: ${error.message}`);
      })
      .finally(() => (restartBusy = false));
  };

  async function run(args: string[]): Promise<CliResult> {
    const cli = startCli(args, env);
    const timer = setTimeout(() => cli.child.kill('SIGKILL'), Math.max(1, deadline - Date.now()));
    let pending = '';
    cli.child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + String(chunk)).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{"type":"progress"') || restartBusy) continue;
        const done = (JSON.parse(line) as { bytesDone: number }).bytesDone;
        if (pendingRestarts.length > 0 && done >= pendingRestarts[0]! * bytes) {
          pendingRestarts.shift();
          restartOnce(`${Math.round((done / bytes) * 100)} % of the bytes done`);
        }
      }
    });
    const result = await cli.result;
    clearTimeout(timer);
    exitCodes.push(result.signal ? null : result.code);
    for (const line of jsonLines(result.stdout)) {
      if (line.type !== 'summary') continue;
      for (const item of line.failed as Array<{ key: string; error?: string }>) {
        gaveUp.push(`${item.key}: ${item.error ?? 'unknown error'}`);
      }
    }
    if (!addSummaryStats(stats, result.stdout)) {
      problems.push(`a run ended without a summary (${result.signal ?? result.code})`);
    }
    await restarting;
    return result;
  }

  let resumesNeeded = 0;
  try {
    let result = await run(['upload', dir, `s3://${bucket}/`, ...flags]);
    log(`  upload exited with ${result.code ?? result.signal} at ${seconds(started)}`);
    while (result.code !== 0 && resumesNeeded < options.maxResumes && Date.now() < deadline) {
      resumesNeeded++;
      result = await run(['resume', ...flags]);
      log(
        `  resume #${resumesNeeded} exited with ${result.code ?? result.signal} at ${seconds(started)}`,
      );
    }
    if (result.code !== 0) {
      problems.push(`still unfinished after ${resumesNeeded} resumes:\n${result.stderr}`);
    }
    if (pendingRestarts.length > 0) {
      problems.push(`${pendingRestarts.length} planned server restarts did not happen`);
    }
  } finally {
    await restarting;
    await proxy.close();
    await relay.close();
    // Whatever happened, leave the server running for the next test.
    await serverScript('start');
  }

  let verification: Awaited<ReturnType<typeof verifyEndState>>;
  try {
    verification = await verifyEndState(bucket, files, journal);
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
    rmSync(journal, { recursive: true, force: true });
  }
  problems.push(...verification.problems);
  const faultsByKind: Partial<Record<FaultKind, number>> = {};
  const faultsByOperation: Record<string, number> = {};
  for (const request of proxy.requests) {
    if (!request.fault) continue;
    faultsByKind[request.fault] = (faultsByKind[request.fault] ?? 0) + 1;
    const id = `${request.operation} ${request.fault}`;
    faultsByOperation[id] = (faultsByOperation[id] ?? 0) + 1;
  }
  return {
    files: files.length,
    bytes,
    multipartFiles,
    faultsInjected: proxy.faultsInjected,
    faultsByKind,
    faultsByOperation,
    requests: proxy.requests.length,
    refusedDuringRestarts: relay.refused,
    restarts: restartMs.length,
    restartMs,
    resumesNeeded,
    gaveUp,
    exitCodes,
    stats,
    objectsVerified: verification.objectsVerified,
    problems,
    elapsedMs: Date.now() - started,
  };
}

export function describeSoak(report: SoakReport): string {
  return [
    `files: ${report.files} (${report.multipartFiles} multi-part), ${formatMiB(report.bytes)}`,
    `requests through the proxy: ${report.requests}`,
    `faults injected: ${report.faultsInjected} ${JSON.stringify(report.faultsByKind)}`,
    `faults by operation: ${JSON.stringify(report.faultsByOperation)}`,
    `server restarts: ${report.restarts} (${report.restartMs.join(', ')} ms), connections refused meanwhile: ${report.refusedDuringRestarts}`,
    `CLI exit codes: ${report.exitCodes.join(', ')}; resumes needed: ${report.resumesNeeded}`,
    ...(report.gaveUp.length > 0
      ? [`items given up (then resumed): ${report.gaveUp.join('; ')}`]
      : []),
    `retries: ${report.stats.requestsRetried}, parts uploaded: ${report.stats.partsUploaded}, bytes sent: ${formatMiB(report.stats.bytesSent)}, bytes re-sent: ${formatMiB(report.stats.bytesResent)} (${report.stats.bytesResent} B)`,
    `objects verified (sha256): ${report.objectsVerified}/${report.files}`,
    `problems: ${report.problems.length === 0 ? 'none' : report.problems.join('; ')}`,
    `elapsed: ${(report.elapsedMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
