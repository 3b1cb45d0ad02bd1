/**
 * Takes a journal lock in a process of its own, for tests of what other processes see: prints
 * "locked" or "busy: <message>", holds the lock for argv[3] ms, then releases it.
 */
import { lockJournalDir, unlockJournalDir } from '../../main/transfer/journalLock';

const [dir, holdMs = '0', waitMs = '0'] = process.argv.slice(2);
try {
  await lockJournalDir(dir!, 'the journal', { waitMs: Number(waitMs) });
  process.stdout.write('locked\n');
  await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
  await unlockJournalDir(dir!);
} catch (error) {
  process.stdout.write(`busy: ${(error as Error).message}\n`);
}
