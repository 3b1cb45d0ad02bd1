import { promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { OutsideLink, SkippedFile } from '../../preload/contract';
import { contentTypeFor } from './contentType';
import { describeFsError } from './errors';
import { junkReason, type JunkFilter } from './junk';
import { objectKeyFor } from './keys';
import { sensitiveWarnings } from './planWarnings';
import { NOT_REGULAR_FILE } from './sourceFile';

export type { OutsideLink, SkippedFile };

export interface PlannedFile {
  /**
   * Absolute path on disk, exactly as the OS spells it (NFD on macOS). For a symbolic link to a
   * file, the file it points at: the upload opens it without following links.
   */
  path: string;
  /** Path relative to the dropped item's parent, with the OS's separators. */
  relativePath: string;
  key: string;
  size: number;
  mtimeMs: number;
  /** Identity at planning time: a file replaced since then fails rather than being adopted. */
  ctimeMs: number;
  dev: number;
  ino: number;
  contentType: string;
}

export interface UploadPlan {
  bucket: string;
  prefix: string;
  files: PlannedFile[];
  skipped: SkippedFile[];
  totalBytes: number;
  /** Links that lead out of a dropped folder: skipped, or followed when asked to. */
  outsideLinks: OutsideLink[];
  /** Hidden files or key material that the plan includes, in plain sentences. */
  warnings: string[];
}

export interface PlanOptions {
  bucket: string;
  prefix: string;
  junkFilter: JunkFilter;
  /** Follow symbolic links that lead out of the dropped folder (the user chose to). */
  followOutsideLinks?: boolean;
}

export const OUTSIDE_LINK = 'link to outside the folder';
export const NOT_UTF8 = 'the name is not valid UTF-8, and S3 keys must be';
const FOLDER_UNREADABLE = 'the folder cannot be read, so none of its files are uploaded';

interface WalkState {
  files: PlannedFile[];
  skipped: SkippedFile[];
  keys: Map<string, string>;
  outsideLinks: OutsideLink[];
}

/** A folder being walked: where keys are relative to, and what links may point into. */
interface Walk {
  /** The dropped item's parent: keys are relative to it. */
  base: string;
  /** The real path of the dropped folder; a link is "inside" when its target is under it. */
  realRoot: string;
  ancestors: Set<string>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns dropped files and folders into the list of objects to upload. A dropped folder keeps its
 * own name in the key, as a file manager's copy would. The walk uses `lstat`, so a link is seen
 * as a link: one that leads out of the dropped folder is skipped unless the user chose to follow.
 */
export async function planUpload(paths: string[], options: PlanOptions): Promise<UploadPlan> {
  const state: WalkState = { files: [], skipped: [], keys: new Map(), outsideLinks: [] };
  for (const dropped of paths) {
    const absolute = path.resolve(dropped);
    // What was dropped was chosen by the user, so a dropped link is followed.
    const realRoot = await fs.realpath(absolute).catch(() => absolute);
    const walk: Walk = { base: path.dirname(absolute), realRoot, ancestors: new Set() };
    await visit(absolute, walk, options, state, true);
  }
  const totalBytes = state.files.reduce((sum, file) => sum + file.size, 0);
  return {
    bucket: options.bucket,
    prefix: options.prefix,
    files: state.files,
    skipped: state.skipped,
    totalBytes,
    outsideLinks: state.outsideLinks,
    warnings: sensitiveWarnings(state.files.map((file) => file.relativePath)),
  };
}

function isInside(target: string, root: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function visit(
  absolute: string,
  walk: Walk,
  options: PlanOptions,
  state: WalkState,
  dropped = false,
): Promise<void> {
  let stats: Stats;
  let realPath = absolute;
  let isLink = false;
  try {
    stats = await fs.lstat(absolute);
    if (stats.isSymbolicLink()) {
      isLink = true;
      realPath = await fs.realpath(absolute);
      if (!dropped && !isInside(realPath, walk.realRoot)) {
        state.outsideLinks.push({ path: absolute, target: realPath });
        if (!options.followOutsideLinks) {
          state.skipped.push({ path: absolute, reason: `${OUTSIDE_LINK} (→ ${realPath})` });
          return;
        }
      }
      stats = await fs.stat(realPath);
    }
  } catch (error) {
    const dangling = isLink && (error as NodeJS.ErrnoException).code === 'ENOENT';
    state.skipped.push({
      path: absolute,
      reason: dangling
        ? 'broken symbolic link (its target does not exist)'
        : describeFsError(error),
    });
    return;
  }
  if (stats.isDirectory()) {
    await visitDirectory(absolute, walk, options, state, stats);
    return;
  }
  if (!stats.isFile()) {
    state.skipped.push({ path: absolute, reason: NOT_REGULAR_FILE });
    return;
  }
  const name = path.basename(absolute);
  const junk = junkReason(name, options.junkFilter);
  if (junk) {
    state.skipped.push({ path: absolute, reason: junk, excluded: true });
    return;
  }
  const relativePath = path.relative(walk.base, absolute);
  let key: string;
  try {
    key = objectKeyFor(options.prefix, relativePath);
  } catch (error) {
    state.skipped.push({ path: absolute, reason: (error as Error).message });
    return;
  }
  const clash = state.keys.get(key);
  if (clash !== undefined) {
    state.skipped.push({
      path: absolute,
      reason: `same key as ${clash} once names are Unicode-normalized (${key})`,
    });
    return;
  }
  state.keys.set(key, absolute);
  state.files.push({
    path: realPath,
    relativePath,
    key,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
    dev: stats.dev,
    ino: stats.ino,
    contentType: contentTypeFor(name),
  });
}

async function visitDirectory(
  absolute: string,
  walk: Walk,
  options: PlanOptions,
  state: WalkState,
  stats: Stats,
): Promise<void> {
  // A symlink pointing at one of its own ancestors would make the walk endless.
  const identity = `${stats.dev}:${stats.ino}`;
  if (walk.ancestors.has(identity)) {
    state.skipped.push({
      path: absolute,
      reason: 'symbolic link loop (points at a parent folder)',
    });
    return;
  }
  let entries: Buffer[];
  try {
    // As bytes: a name that is not UTF-8 would come back as a lossy string naming no real file.
    entries = await fs.readdir(absolute, { encoding: 'buffer' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? `permission denied: ${FOLDER_UNREADABLE}`
        : `${describeFsError(error)}: ${FOLDER_UNREADABLE}`;
    state.skipped.push({ path: `${absolute}${path.sep}`, reason });
    return;
  }
  const names: string[] = [];
  for (const entry of entries) {
    let name: string;
    try {
      name = strictUtf8.decode(entry);
    } catch {
      state.skipped.push({ path: path.join(absolute, entry.toString('utf8')), reason: NOT_UTF8 });
      continue;
    }
    names.push(name);
  }
  names.sort();
  const inner: Walk = { ...walk, ancestors: new Set(walk.ancestors).add(identity) };
  for (const name of names) {
    await visit(path.join(absolute, name), inner, options, state);
  }
}
