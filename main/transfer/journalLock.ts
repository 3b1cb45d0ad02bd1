import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { syncDir } from './durableFile';
import {
  currentIdentity,
  type HolderVerdict,
  judgeHolder,
  parseIdentity,
  type ProcessIdentity,
} from './processIdentity';

export class JournalBusyError extends Error {}

export interface LockOptions {
  /** Told once when a live holder is waited for. */
  onWait?: (message: string) => void;
  /** How long a live holder is given to exit (a stopping CLI, an app restarted at once). */
  waitMs?: number;
}

export const LOCK_WAIT_MS = 5_000;
export const WAITING_FOR_HOLDER = 'waiting for the previous Bucketdrop process to exit';
const POLL_MS = 100;

/** Journal folders this process holds: a second engine in the same process is refused too. */
const held = new Map<string, string>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function verdictOn(text: string, dir: string, ownLock: boolean): HolderVerdict {
  const holder: ProcessIdentity | null = parseIdentity(text);
  if (!holder) return { alive: false, reason: 'the lock file cannot be read' };
  if (holder.pid === process.pid) {
    // Our own PID: held by this process now, or left by an earlier holder with our PID.
    const ours = !ownLock || held.has(dir);
    return ours
      ? { alive: true, command: 'this process' }
      : { alive: false, reason: 'left by an earlier process' };
  }
  return judgeHolder(holder);
}

/** File systems without hard links (FAT, some network shares) get the lock written in place. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

async function placeLock(candidate: string, lockPath: string, identity: string): Promise<void> {
  try {
    await fs.link(candidate, lockPath);
  } catch (error) {
    if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await fs.writeFile(lockPath, identity, { flag: 'wx' });
  }
}

/**
 * Removes a lock judged stale, under a short-lived guard file: two processes that find the same
 * stale lock must not both remove it, or the second would remove the first's fresh lock.
 */
async function removeStaleLock(dir: string, lockPath: string, staleText: string): Promise<void> {
  const guard = path.join(dir, 'lock.takeover');
  try {
    await fs.writeFile(guard, JSON.stringify(currentIdentity()), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const guardText = await readOrNull(guard);
    // A guard lives for two file operations; one left behind means its holder died right there.
    if (guardText !== null && !verdictOn(guardText, dir, false).alive) {
      if ((await readOrNull(guard)) === guardText) await fs.rm(guard, { force: true });
    } else {
      await sleep(10);
    }
    return;
  }
  try {
    if ((await readOrNull(lockPath)) === staleText) await fs.rm(lockPath, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

/**
 * Takes a journal folder for this process: two processes resuming the same transfers would
 * collide. The lock file names its holder (PID, start time, command, boot), so a lock left by
 * a process that died, even one not yet reaped, or whose PID was reused after a reboot, is taken
 * over at once. A holder still running is given `waitMs` to exit, then named in the refusal.
 * `what` names the journal in messages, e.g. "the download journal".
 */
export async function lockJournalDir(
  dir: string,
  what: string,
  options: LockOptions = {},
): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const lockPath = path.join(dir, 'lock');
  const identity = JSON.stringify(currentIdentity());
  // Written whole under a private name, then linked: the lock never exists half-written.
  const candidate = path.join(dir, `lock.${process.pid}.${randomBytes(4).toString('hex')}`);
  await fs.writeFile(candidate, identity, { flag: 'wx' });
  const deadline = Date.now() + (options.waitMs ?? LOCK_WAIT_MS);
  let told = false;
  try {
    for (;;) {
      try {
        await placeLock(candidate, lockPath, identity);
        held.set(dir, identity);
        await syncDir(dir);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = await readOrNull(lockPath);
      if (text === null) continue;
      const verdict = verdictOn(text, dir, true);
      if (!verdict.alive) {
        await removeStaleLock(dir, lockPath, text);
        continue;
      }
      if (Date.now() >= deadline) {
        const pid = parseIdentity(text)?.pid;
        throw new JournalBusyError(
          `another Bucketdrop process (pid ${pid}: ${verdict.command}) is using ${what} in ${dir}`,
        );
      }
      if (!told) options.onWait?.(WAITING_FOR_HOLDER);
      told = true;
      await sleep(POLL_MS);
    }
  } finally {
    await fs.rm(candidate, { force: true });
  }
}

export async function unlockJournalDir(dir: string): Promise<void> {
  const identity = held.get(dir);
  held.delete(dir);
  const lockPath = path.join(dir, 'lock');
  // Only our own lock: never one another process took over meanwhile.
  if (identity === undefined || (await readOrNull(lockPath)) !== identity) return;
  await fs.rm(lockPath, { force: true });
  await syncDir(dir).catch(() => undefined);
}
