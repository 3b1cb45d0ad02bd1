import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FileIdentity, sameContents } from './sourceFile';

/** The file changed while it was being read: what was read so far must not be used. */
export class SourceChangedError extends Error {
  override readonly name = 'SourceChangedError';
  constructor(
    readonly now: Stats,
    /** What the user is told while the file is sent again. */
    readonly restartNote = 'the file was modified while it was being uploaded, so it is uploaded again from the start',
  ) {
    super('the file was modified while it was being uploaded');
  }
}

/**
 * Checks, through the open handle, that the file is still the one recorded (size, mtime and
 * ctime): called before and after each part is read and again before completing, so no object is
 * ever made of bytes from two versions of the file.
 */
export async function assertSameContents(
  handle: FileHandle,
  recorded: FileIdentity,
): Promise<void> {
  const now = await handle.stat();
  if (!sameContents(recorded, now)) throw new SourceChangedError(now);
}

const POLL_MS = 100;

/**
 * Waits until the file has not changed for `quietMs` (a program still writing it would otherwise
 * make every restart fail again), then returns its settled state. Null when it is still
 * changing after `giveUpMs`.
 */
export async function waitUntilQuiet(
  handle: FileHandle,
  quietMs: number,
  giveUpMs: number,
  signal: AbortSignal,
): Promise<Stats | null> {
  const started = Date.now();
  let last = await handle.stat();
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    if (Date.now() - started > giveUpMs) return null;
    await sleep(Math.min(POLL_MS, quietMs), undefined, { signal });
    const now = await handle.stat();
    if (!sameContents(last, now)) {
      last = now;
      quietSince = Date.now();
    }
  }
  return last;
}
