import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  JournalBusyError,
  lockJournalDir,
  unlockJournalDir,
  WAITING_FOR_HOLDER,
} from '../../main/transfer/journalLock';
import { tempDir } from '../support/files';
import { identityOf, runLockHolder, startIdleProcess, startZombie } from '../support/processes';

const linux = process.platform === 'linux';
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function lockedDir(holder: unknown): string {
  const dir = tempDir('lock');
  writeFileSync(
    path.join(dir, 'lock'),
    typeof holder === 'string' ? holder : JSON.stringify(holder),
  );
  return dir;
}

async function takesIt(dir: string): Promise<void> {
  await lockJournalDir(dir, 'the journal', { waitMs: 0 });
  expect(JSON.parse(readFileSync(path.join(dir, 'lock'), 'utf8'))).toMatchObject({
    pid: process.pid,
  });
  await unlockJournalDir(dir);
  expect(readdirSync(dir)).toEqual([]);
}

describe.runIf(linux)('journal lock', () => {
  it('takes over at once from a holder killed and not yet reaped (a zombie)', async () => {
    const zombie = await startZombie(30);
    cleanups.push(() => zombie.parent.kill('SIGKILL'));
    // kill(pid, 0) still succeeds on a zombie: the old lock refused here.
    expect(() => process.kill(zombie.pid, 0)).not.toThrow();
    await takesIt(lockedDir(identityOf(zombie.pid)));
  });

  it('takes over from a PID that now belongs to another process or program', async () => {
    const other = startIdleProcess();
    cleanups.push(() => other.kill('SIGKILL'));
    await new Promise((resolve) => other.once('spawn', resolve));
    const real = identityOf(other.pid!);
    // After a reboot: the same PID, another start time.
    await takesIt(lockedDir({ ...real, startTime: '1' }));
    // Another boot altogether.
    await takesIt(lockedDir({ ...real, bootId: 'another-boot' }));
    // Same PID and start, another program (exec'd since).
    await takesIt(lockedDir({ ...real, command: 'bucketdrop upload' }));
    // PID 1 as a bare PID (a lock from before identities), unless PID 1 is a Node itself.
    if (!/node|electron|bucketdrop/i.test(readFileSync('/proc/1/cmdline', 'utf8'))) {
      await takesIt(lockedDir('1'));
    }
  });

  it('names a live holder by PID and command after waiting for it, and says it waits', async () => {
    const holder = startIdleProcess();
    cleanups.push(() => holder.kill('SIGKILL'));
    await new Promise((resolve) => holder.once('spawn', resolve));
    const dir = lockedDir(identityOf(holder.pid!));
    const told: string[] = [];
    const started = Date.now();
    const refusal = await lockJournalDir(dir, 'the journal', {
      waitMs: 400,
      onWait: (message) => told.push(message),
    }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(JournalBusyError);
    expect((refusal as Error).message).toBe(
      `another Bucketdrop process (pid ${holder.pid}: ${process.execPath} -e setInterval(() => {}, 1000)) is using the journal in ${dir}`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(told).toEqual([WAITING_FOR_HOLDER]);
  });

  it('waits for a holder that is exiting, then takes the lock', async () => {
    const holder = startIdleProcess();
    await new Promise((resolve) => holder.once('spawn', resolve));
    const dir = lockedDir(identityOf(holder.pid!));
    setTimeout(() => holder.kill('SIGKILL'), 300);
    const told: string[] = [];
    await lockJournalDir(dir, 'the journal', { waitMs: 5000, onWait: (m) => told.push(m) });
    expect(told).toEqual([WAITING_FOR_HOLDER]);
    await unlockJournalDir(dir);
  });

  it('refuses a second holder inside the same process', async () => {
    const dir = tempDir('lock');
    await lockJournalDir(dir, 'the journal');
    await expect(lockJournalDir(dir, 'the journal', { waitMs: 100 })).rejects.toThrow(
      /another Bucketdrop process \(pid \d+: this process\)/,
    );
    await unlockJournalDir(dir);
  });

  it('lets only one of several processes that find the same stale lock at once take it', async () => {
    for (let round = 0; round < 3; round++) {
      const zombie = await startZombie(30);
      cleanups.push(() => zombie.parent.kill('SIGKILL'));
      const dir = lockedDir(identityOf(zombie.pid));
      const outcomes = await Promise.all([0, 1, 2].map(() => runLockHolder(dir, 1500, 0)));
      expect(outcomes.filter((outcome) => outcome === 'locked')).toHaveLength(1);
      for (const outcome of outcomes.filter((o) => o !== 'locked')) {
        expect(outcome).toMatch(/^busy: another Bucketdrop process \(pid \d+: .*lockHolder/);
      }
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});
