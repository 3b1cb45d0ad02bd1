import type { S3Client } from '@aws-sdk/client-s3';
import type { SkippedFile } from '../../preload/contract';
import { bucketProblem } from '../buckets/destinationCheck';
import type { EngineSettings } from '../transfer/engine';
import { describeFsError } from '../transfer/errors';
import { Journal } from '../transfer/journal';
import { JournalBusyError, type LockOptions } from '../transfer/journalLock';
import { InvalidKeyError, normalizePrefix } from '../transfer/keys';
import { fitMemoryBudget, MAX_PART_BYTES } from '../transfer/memoryLimits';
import { GiB } from '../transfer/partSizing';
import { unintendedSkips } from '../transfer/planWarnings';
import { UsageError } from './usage';

/**
 * What is checked once before an upload sends anything, so that a problem shared by every file
 * is said once, with exit code 2, instead of once per file.
 */
export class SetupError extends Error {}

export const EXIT = {
  done: 0,
  failed: 1,
  /** Bad usage, a destination or journal that cannot work, or files that were skipped. */
  usageOrSkipped: 2,
} as const;

export function checkedSizes(settings: EngineSettings): void {
  for (const [flag, value] of [
    ['part-size', settings.partSize],
    ['multipart-threshold', settings.multipartThreshold],
  ] as const) {
    if (value > MAX_PART_BYTES) {
      throw new UsageError(
        `--${flag} can be at most ${MAX_PART_BYTES / GiB} GiB here: S3 takes parts of up to 5 GiB, and a part is held in one buffer`,
      );
    }
  }
}

/** Lowers parts in flight to fit the memory budget, saying so once. */
export function withinMemoryBudget(
  settings: EngineSettings,
  say: (message: string) => void,
): EngineSettings {
  const { partsInFlight, note } = fitMemoryBudget(settings);
  if (note) say(`Note: ${note}.`);
  return { ...settings, partsInFlight };
}

/** The prefix exactly as typed (`//` included); `.` and `..` are usage errors. */
export function typedPrefix(key: string): string {
  try {
    return normalizePrefix(key);
  } catch (error) {
    if (error instanceof InvalidKeyError) throw new UsageError(error.message);
    throw error;
  }
}

export async function checkBucket(client: S3Client, bucket: string): Promise<void> {
  const problem = await bucketProblem(client, bucket);
  if (problem) throw new SetupError(`${problem}; nothing was uploaded`);
}

const FOLDER_CAUSES: Record<string, string> = {
  EACCES: 'permission denied: it cannot be written',
  EPERM: 'permission denied: it cannot be written',
  EROFS: 'it is on a read-only file system',
  ENOTDIR: 'a part of its path is a file, not a folder',
  ENOSPC: 'the disk is full',
};

/** Opens the journal, naming the folder and the cause when it cannot be used. */
export async function openJournalFolder(dir: string, lock: LockOptions = {}): Promise<Journal> {
  try {
    return await Journal.open(dir, lock);
  } catch (error) {
    if (error instanceof JournalBusyError) throw new SetupError(error.message);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const cause = FOLDER_CAUSES[code] ?? describeFsError(error);
    throw new SetupError(
      `the journal folder ${dir} cannot be used: ${cause} (choose another with --journal DIR)`,
    );
  }
}

/** aws-cli's convention: 1 when a file failed, else 2 when a file asked for was skipped. */
export function uploadExitCode(failedOrPaused: number, skipped: SkippedFile[]): number {
  if (failedOrPaused > 0) return EXIT.failed;
  return unintendedSkips(skipped).length > 0 ? EXIT.usageOrSkipped : EXIT.done;
}
