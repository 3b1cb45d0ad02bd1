import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  wallSeconds: number;
  userSeconds: number;
  sysSeconds: number;
  /**
   * ru_maxrss from wait4: the peak of the tool process and of any descendant it reaped (the
   * largest one, not their sum). Every tool measured here is a single process.
   */
  peakRssBytes: number;
  stdoutTail: string;
  stderrTail: string;
}

const TAIL_CHARS = 16_000;

let runningGroup: number | null = null;

/** Kills the tool being measured (its whole process group), e.g. when the bench is interrupted. */
export function killRunning(): void {
  if (runningGroup === null) return;
  try {
    process.kill(-runningGroup, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function tail(text: string): string {
  return text.length > TAIL_CHARS ? text.slice(-TAIL_CHARS) : text;
}

/**
 * Runs `argv` under GNU time. Wall time is taken here (GNU time only has 10 ms resolution);
 * CPU and peak RSS come from the kernel's rusage of the child, which stays exact where
 * sampling /proc would miss short peaks.
 */
export async function measure(
  argv: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number },
): Promise<Measured> {
  if (!existsSync(GNU_TIME)) {
    throw new Error(`${GNU_TIME} is missing: apt-get install -y time`);
  }
  const report = path.join(os.tmpdir(), `bucketdrop-bench-time-${process.pid}-${Date.now()}`);
  const child = spawn(GNU_TIME, ['-f', '%e %U %S %M', '-o', report, ...argv], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group, so a timeout can kill the tool and not just GNU time.
    detached: true,
  });
  runningGroup = child.pid ?? null;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout = tail(stdout + chunk.toString())));
  child.stderr.on('data', (chunk: Buffer) => (stderr = tail(stderr + chunk.toString())));
  const started = process.hrtime.bigint();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killRunning();
  }, options.timeoutMs);
  const { exitCode, signal } = await new Promise<{
    exitCode: number | null;
    signal: NodeJS.Signals | null;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ exitCode: code, signal: sig }));
  }).finally(() => {
    clearTimeout(timer);
    runningGroup = null;
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  // After a non-zero exit GNU time writes "Command exited with non-zero status N" first.
  const lines = existsSync(report) ? (await readFile(report, 'utf8')).trim().split('\n') : [];
  await rm(report, { force: true });
  const fields = (lines.at(-1) ?? '').split(' ').map(Number);
  const [, user = NaN, sys = NaN, maxRssKb = NaN] = fields.length === 4 ? fields : [];
  return {
    exitCode,
    signal,
    timedOut,
    wallSeconds,
    userSeconds: user,
    sysSeconds: sys,
    peakRssBytes: maxRssKb * 1024,
    stdoutTail: stdout,
    stderrTail: stderr,
  };
}

/** Runs a short helper command (versions, sync) and returns its stdout; throws on failure. */
export function capture(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${argv.join(' ')} exited with ${code}: ${err.trim()}`)),
    );
  });
}

/** /proc reports CPU time in USER_HZ ticks, which the Linux ABI fixes at 100 per second. */
const TICKS_PER_SECOND = 100;

export interface CpuCounters {
  /** CPU seconds all processes on the machine have used since boot. */
  machineSeconds: number;
  /** CPU seconds used by the S3 server's processes. */
  serverSeconds: number;
}

async function processSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; the fields after it do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * Counters to tell, per run, how much CPU went to the server and how much to unrelated
 * processes on the machine (other people's tests), which makes that run's numbers unreliable.
 */
export async function cpuCounters(serverPids: number[]): Promise<CpuCounters> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  // user nice system idle iowait irq softirq steal ...: busy is all but idle, iowait and steal.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = line
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const seconds = await Promise.all(serverPids.map(processSeconds));
  return {
    machineSeconds: (user + nice + system + irq + softirq) / TICKS_PER_SECOND,
    serverSeconds: seconds.reduce((sum, value) => sum + value, 0),
  };
}
