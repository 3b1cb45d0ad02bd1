import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Syncs a folder, so that a file created, renamed or removed in it stays so after a power cut:
 * syncing a file makes its bytes durable, not its name. Windows cannot open a folder for this,
 * and its file system journals names itself.
 */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a file whole: written to a temporary file, synced, renamed over the old one, and the
 * folder synced. A crash at any instant leaves the old or the new content, never a torn one.
 */
export async function writeFileDurably(file: string, data: string): Promise<void> {
  const temporary = `${file}.tmp`;
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } catch (error) {
    await handle.close();
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await fs.rename(temporary, file);
  await syncDir(path.dirname(file));
}

/** Removes a file for good: the folder is synced, so it does not come back after a power cut. */
export async function removeDurably(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await syncDir(path.dirname(file));
}
