/**
 * Full fault-injection soak and crash loop (the short versions run inside `npm test`):
 *
 *   node --import tsx tests/chaos/soak.ts [--seed N] [--only soak|crash]
 *
 * Starts the local S3 server (tests/s3-server/start.sh, data in BUCKETDROP_S3_DIR) unless it
 * runs already, and stops it again only if it started it. Loopback only; bounded in count and
 * time (each phase has its own time limit, the whole script a hard one). Exit code 0 when every
 * check held, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { serverScript } from './common';
import { describeCrashLoop, runCrashLoop } from './crashLoopRun';
import { SOAK_KINDS, describeSoak, runSoak } from './soakRun';
import { serverRunning } from '../support/s3env';

const HARD_LIMIT_MS = 25 * 60_000;

const { values } = parseArgs({
  options: { seed: { type: 'string' }, only: { type: 'string' } },
});
const seed = Number(values.seed ?? 1);
if (!Number.isInteger(seed)) throw new Error(`--seed takes a whole number, not ${values.seed}`);
const only = values.only;
if (only !== undefined && only !== 'soak' && only !== 'crash') {
  throw new Error('--only takes soak or crash');
}

const log = (line: string) => console.log(line);
const hardLimit = setTimeout(() => {
  console.error(`chaos: hard time limit of ${HARD_LIMIT_MS / 60_000} min reached`);
  process.exit(1);
}, HARD_LIMIT_MS);

const alreadyRunning = serverRunning();
await serverScript('start');
const failures: string[] = [];
try {
  if (only !== 'crash') {
    const soak = await runSoak({
      label: 'chaos-soak',
      corpus: {
        seed: seed * 101,
        bigFiles: 12,
        bigSizeMiB: [10, 24],
        smallFiles: 388,
        smallSizeKiB: [1, 512],
      },
      seed,
      probability: 0.55,
      kinds: [...SOAK_KINDS, 'latency', 'stall'],
      maxFaults: 360,
      delayMs: 400,
      restartAt: [0.15, 0.45, 0.75],
      concurrency: 8,
      partConcurrency: 4,
      maxResumes: 5,
      timeLimitMs: 8 * 60_000,
      log,
    });
    log(`\n== full soak (seed ${seed})\n${describeSoak(soak)}\n`);
    if (soak.faultsInjected < 200)
      failures.push(`soak: only ${soak.faultsInjected} faults (< 200)`);
    if (soak.restarts < 2) failures.push(`soak: only ${soak.restarts} server restarts (< 2)`);
    if (soak.objectsVerified !== soak.files) failures.push('soak: not every object verified');
    failures.push(...soak.problems.map((p) => `soak: ${p}`));
  }
  if (only !== 'soak') {
    const crash = await runCrashLoop({
      label: 'chaos-crash',
      corpus: {
        seed: seed * 103,
        bigFiles: 14,
        bigSizeMiB: [20, 30],
        smallFiles: 30,
        smallSizeKiB: [1, 300],
      },
      seed: seed * 107,
      kills: 22,
      killDelayMs: [400, 2500],
      partLatencyMs: 1200,
      concurrency: 3,
      partConcurrency: 3,
      maxFinalResumes: 5,
      timeLimitMs: 8 * 60_000,
      log,
    });
    log(`\n== full crash loop (seed ${seed})\n${describeCrashLoop(crash)}\n`);
    if (crash.kills < 20) failures.push(`crash loop: only ${crash.kills} kills (< 20)`);
    if (crash.objectsVerified !== crash.files)
      failures.push('crash loop: not every object verified');
    failures.push(...crash.problems.map((p) => `crash loop: ${p}`));
  }
} catch (error) {
  failures.push(`aborted: ${(error as Error).stack ?? String(error)}`);
} finally {
  if (!alreadyRunning) await serverScript('stop');
  clearTimeout(hardLimit);
}

if (failures.length > 0) {
  console.error(`chaos: FAILED\n- ${failures.join('\n- ')}`);
  process.exitCode = 1;
} else {
  console.log('chaos: all checks held');
}
