import { promises as fs } from 'node:fs';
import path from 'node:path';

export class JournalBusyError extends Error {}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes a journal folder for this process with a lock file holding its PID: two processes
 * resuming the same transfers would collide. A lock left by a dead process is taken over.
 * `what` names the journal in the error, e.g. "the download journal".
 */
export async function lockJournalDir(dir: string, what: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const lockPath = path.join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lockPath, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await fs.readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (holder && holder !== process.pid && processIsAlive(holder)) {
        throw new JournalBusyError(
          `another Bucketdrop process (pid ${holder}) is using ${what} in ${dir}`,
        );
      }
      await fs.rm(lockPath, { force: true });
    }
  }
  throw new JournalBusyError(`could not lock ${what} in ${dir}`);
}

export async function unlockJournalDir(dir: string): Promise<void> {
  await fs.rm(path.join(dir, 'lock'), { force: true });
}
