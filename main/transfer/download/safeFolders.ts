import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DownloadError } from './errors';
import { isInside } from './keyPaths';

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** Why an existing path may not hold downloads, or null when it is a real folder. */
async function folderProblem(dir: string): Promise<string | null> {
  const stat = await fs.lstat(dir);
  if (stat.isSymbolicLink()) {
    return `${dir} is a link: downloads are never written through links`;
  }
  if (!stat.isDirectory()) return `${dir} exists and is not a folder`;
  return null;
}

/**
 * Creates `folder` below the chosen `root` one level at a time, refusing any level that is a
 * link or not a folder, so that a link planted in the download folder (`sub -> /elsewhere`)
 * never sends writes outside it. Returns the real path of `folder`, checked once more against
 * the real path of `root`. The root itself is the user's choice and may be a link.
 */
export async function ensureFolderInside(root: string, folder: string): Promise<string> {
  const chosen = path.resolve(root);
  const wanted = path.resolve(folder);
  if (wanted !== chosen && !isInside(chosen, wanted)) {
    throw new DownloadError(`${wanted} is outside the chosen folder ${chosen}`);
  }
  await fs.mkdir(chosen, { recursive: true });
  const realRoot = await fs.realpath(chosen);
  let current = chosen;
  for (const segment of path.relative(chosen, wanted).split(path.sep).filter(Boolean)) {
    current = path.join(current, segment);
    try {
      await fs.mkdir(current);
    } catch (error) {
      if (code(error) !== 'EEXIST') throw error;
    }
    const problem = await folderProblem(current);
    if (problem) throw new DownloadError(problem);
  }
  const real = await fs.realpath(wanted);
  if (real !== realRoot && !isInside(realRoot, real)) {
    throw new DownloadError(`${wanted} leads outside the chosen folder ${chosen}`);
  }
  return real;
}

/**
 * Why a planned file cannot be written, judged from what is on disk now: a level between the
 * chosen folder and the file that is a link or a file. Missing levels are fine (they are
 * created). `seen` caches answers per folder across one plan.
 */
export async function plannedFolderProblem(
  root: string,
  file: string,
  seen: Map<string, string | null>,
): Promise<string | null> {
  const chosen = path.resolve(root);
  let current = chosen;
  for (const segment of path.relative(chosen, path.dirname(file)).split(path.sep).filter(Boolean)) {
    current = path.join(current, segment);
    let problem = seen.get(current);
    if (problem === undefined) {
      problem = await folderProblem(current).catch((error: unknown) => {
        if (code(error) === 'ENOENT') return null;
        throw error;
      });
      seen.set(current, problem);
    }
    if (problem) return problem;
  }
  return null;
}
