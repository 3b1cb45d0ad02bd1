import { constants, promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * What makes a file the same file: a same-size rewrite can put the mtime back (`touch -r`,
 * `exiftool -P`, `rsync --inplace -t`) and a write through mmap may leave it alone, but neither
 * can set the ctime back, and a file replaced by another gets a new inode.
 */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  /** Absent in journals written before identities were recorded. */
  ctimeMs?: number;
  dev?: number;
  ino?: number;
}

export function identityOf(stats: Stats): Required<FileIdentity> {
  return {
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
    dev: stats.dev,
    ino: stats.ino,
  };
}

/** True when the file on disk is the very one recorded, with the same contents as far as any stat can tell. */
export function sameContents(recorded: FileIdentity, now: Stats): boolean {
  return (
    recorded.size === now.size &&
    recorded.mtimeMs === now.mtimeMs &&
    (recorded.ctimeMs === undefined || recorded.ctimeMs === now.ctimeMs) &&
    sameFile(recorded, now)
  );
}

/** Same device and inode: the file was not replaced by another one. */
export function sameFile(recorded: FileIdentity, now: Stats): boolean {
  return (
    (recorded.dev === undefined || recorded.dev === now.dev) &&
    (recorded.ino === undefined || recorded.ino === now.ino)
  );
}

/** A file that cannot be uploaded as it is now; the message is in plain words. */
export class SourceFileError extends Error {
  override readonly name = 'SourceFileError';
}

export const NOT_REGULAR_FILE = 'not a regular file (device, socket or pipe)';

/** For a single PUT whose file changed after it was read: the object is whole, but not the newest. */
export const REPLACED_BY_EARLIER_READ =
  'the previous object was replaced by the version read before the change; uploading the new version';

/**
 * Opens a file to upload without ever blocking: `O_NONBLOCK` makes a FIFO swapped in after
 * planning open at once instead of holding a thread-pool thread until a writer appears (which
 * no Ctrl-C could interrupt), and `O_NOFOLLOW` refuses a link put in the file's place. The
 * handle is then checked to be a regular file, so nothing but a file is ever read, and to be the
 * file that was planned. Windows has neither flag (0 there); the inode check still holds.
 */
export async function openForUpload(
  file: FileIdentity & { path: string },
): Promise<{ handle: FileHandle; stats: Stats }> {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  let handle: FileHandle;
  try {
    handle = await fs.open(file.path, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new SourceFileError('the file was replaced by a symbolic link since it was planned');
    }
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new SourceFileError(`${NOT_REGULAR_FILE}, since it was planned`);
    if (!sameFile(file, stats)) {
      throw new SourceFileError(
        'the file was replaced by another one since it was planned, so it is not uploaded: add it again to upload the new one',
      );
    }
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
