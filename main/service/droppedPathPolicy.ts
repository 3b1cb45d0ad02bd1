import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Folders under the home folder that hold keys, tokens or keychains. */
const SECRET_FOLDERS = [
  '.ssh',
  '.aws',
  '.gnupg',
  '.password-store',
  '.kube',
  '.docker',
  path.join('.local', 'share', 'keyrings'),
  path.join('Library', 'Keychains'),
];

export type DroppedPathVerdict =
  | { kind: 'plain' }
  /** Never uploaded: Bucketdrop's own data (journals, encrypted secrets, caches). */
  | { kind: 'app-data' }
  /** Uploaded only after the user agrees in a native dialog. */
  | { kind: 'sensitive'; reason: string };

/** The real path, following links, so a link into a protected folder counts as that folder. */
async function realOrResolved(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return path.resolve(file);
  }
}

function contains(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * What main makes of a path the window dropped: the window may be compromised, so a path is
 * refused when it is (or holds) the app's data folder, and needs the user's own consent when it
 * is (or holds) a well-known secret folder, or is a hidden file or folder.
 */
export async function judgeDroppedPath(
  file: string,
  options: { dataDir: string; homeDir?: string },
): Promise<DroppedPathVerdict> {
  const real = await realOrResolved(file);
  const dataDir = await realOrResolved(options.dataDir);
  if (contains(dataDir, real) || contains(real, dataDir)) return { kind: 'app-data' };
  const home = await realOrResolved(options.homeDir ?? os.homedir());
  for (const secret of SECRET_FOLDERS) {
    const folder = path.join(home, secret);
    if (contains(folder, real) || contains(real, folder)) {
      return {
        kind: 'sensitive',
        reason: `it is or contains ${folder}, which holds keys or passwords`,
      };
    }
  }
  const hidden = [file, real]
    .flatMap((candidate) => candidate.split(/[\\/]/))
    .find((segment) => segment.startsWith('.') && segment !== '.' && segment !== '..');
  if (hidden) return { kind: 'sensitive', reason: `"${hidden}" is a hidden file or folder` };
  return { kind: 'plain' };
}
