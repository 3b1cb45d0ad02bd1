import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './s3env';

/** A live process that is not Bucketdrop: a Node that only waits. */
export function startIdleProcess(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
}

/** What a lock file written by `pid` holds, read from /proc as the lock does. */
export function identityOf(pid: number): Record<string, unknown> {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return {
    pid,
    startTime: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19],
    command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' '),
    bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
  };
}

export const ZOMBIE_PARENT = path.join(REPO_ROOT, 'tests/support/zombieParent.py');

/** A process that has exited and that its parent has not reaped yet: a zombie, for `lingerS`. */
export async function startZombie(lingerS: number): Promise<{ pid: number; parent: ChildProcess }> {
  const parent = spawn('python3', [ZOMBIE_PARENT, String(lingerS), process.execPath, '-e', ''], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pid = await childPidOf(parent);
  for (;;) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return { pid, parent };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The PID zombieParent.py announces for the child it runs. */
export function childPidOf(parent: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    parent.stderr!.on('data', (chunk: Buffer) => {
      text += chunk;
      const match = /child (\d+)\n/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    parent.on('exit', () => reject(new Error(`the wrapper exited: ${text}`)));
  });
}

/** Runs tests/support/lockHolder.ts: "locked" or "busy: …". */
export function runLockHolder(dir: string, holdMs: number, waitMs: number): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'tests/support/lockHolder.ts'),
      dir,
      String(holdMs),
      String(waitMs),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
  return new Promise((resolve) => child.on('close', () => resolve(out.trim())));
}
