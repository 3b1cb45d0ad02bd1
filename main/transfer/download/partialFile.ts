import { constants, promises as fs, type BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { DownloadError } from './errors';

/**
 * The partial file the journal created for one object: which version its bytes belong to, which
 * file it is (device and inode, as decimal strings), and how many bytes were on disk when the
 * download last stopped cleanly (absent after a crash: then the file's own length counts).
 */
export interface PartialRecord {
  etag: string;
  dev: string;
  ino: string;
  bytes?: number;
}

export interface OpenedPartial {
  handle: FileHandle;
  record: PartialRecord;
  /** Bytes already on disk that belong to the object: where the GET resumes. */
  offset: number;
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** Windows has no O_NOFOLLOW: there the handle is compared with an lstat of the path instead. */
function noFollow(platform: NodeJS.Platform): number {
  return platform === 'win32' ? 0 : (constants.O_NOFOLLOW ?? 0);
}

function describeOpenError(file: string, error: unknown): unknown {
  // O_NOFOLLOW on a link fails with ELOOP (EMLINK on some BSDs).
  if (code(error) === 'ELOOP' || code(error) === 'EMLINK') {
    return new DownloadError(`${file} is a link: downloads are never written through links`);
  }
  return error;
}

/**
 * Checks that the open handle is a plain file with a single name and that the path still names
 * it (not a link to it, not another file swapped in), the check Windows relies on.
 */
async function verifyHandle(file: string, handle: FileHandle): Promise<BigIntStats> {
  const opened = await handle.stat({ bigint: true });
  if (!opened.isFile()) throw new DownloadError(`${file} is not a regular file`);
  if (opened.nlink !== 1n) {
    throw new DownloadError(`${file} has other names (hard links): it is not written to`);
  }
  const named = await fs.lstat(file, { bigint: true });
  if (named.isSymbolicLink() || named.dev !== opened.dev || named.ino !== opened.ino) {
    throw new DownloadError(`${file} is a link: downloads are never written through links`);
  }
  return opened;
}

async function openChecked(file: string, flags: number): Promise<[FileHandle, BigIntStats]> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, flags, 0o644);
  } catch (error) {
    throw describeOpenError(file, error);
  }
  try {
    return [handle, await verifyHandle(file, handle)];
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The journaled partial, if the file at `file` is still that file, at the recorded length. */
async function reopen(
  file: string,
  record: PartialRecord,
  platform: NodeJS.Platform,
): Promise<OpenedPartial | null> {
  let opened: [FileHandle, BigIntStats];
  try {
    opened = await openChecked(file, constants.O_RDWR | noFollow(platform));
  } catch (error) {
    if (code(error) === 'ENOENT' || error instanceof DownloadError) return null;
    throw error;
  }
  const [handle, stat] = opened;
  const same = String(stat.dev) === record.dev && String(stat.ino) === record.ino;
  const length = Number(stat.size);
  if (same && (record.bytes === undefined || length >= record.bytes)) {
    const offset = record.bytes ?? length;
    if (length > offset) await handle.truncate(offset);
    return { handle, record, offset };
  }
  await handle.close();
  return null;
}

/**
 * Opens the partial file of an object whose bytes are the version `etag`. Bytes on disk are
 * resumed only from the file the journal created for that same version, and only up to the
 * length it recorded; anything else there (a leftover, a planted file or link) is removed (the
 * name only: a link's target is never touched) and a new file is created exclusively.
 * `platform` is injectable so that the Windows path can be tested anywhere.
 */
export async function openPartial(
  file: string,
  etag: string,
  recorded: PartialRecord | undefined,
  platform: NodeJS.Platform = process.platform,
): Promise<OpenedPartial> {
  if (recorded && etag && recorded.etag === etag) {
    const resumed = await reopen(file, recorded, platform);
    if (resumed) return resumed;
  }
  await fs.unlink(file).catch((error: unknown) => {
    if (code(error) !== 'ENOENT') throw error;
  });
  const flags = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | noFollow(platform);
  const [handle, stat] = await openChecked(file, flags);
  return { handle, record: { etag, dev: String(stat.dev), ino: String(stat.ino) }, offset: 0 };
}

/** Whether the path still names the file behind the handle: checked before it takes its name. */
export async function stillNames(file: string, record: PartialRecord): Promise<boolean> {
  const named = await fs.lstat(file, { bigint: true }).catch(() => null);
  return Boolean(
    named?.isFile() && String(named.dev) === record.dev && String(named.ino) === record.ino,
  );
}
