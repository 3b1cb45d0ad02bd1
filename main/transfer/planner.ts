import { promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { contentTypeFor } from './contentType';
import { describeFsError } from './errors';
import { junkReason, type JunkFilter } from './junk';
import { objectKeyFor } from './keys';

export interface PlannedFile {
  /** Absolute path on disk, exactly as the OS spells it (NFD on macOS). */
  path: string;
  /** Path relative to the dropped item's parent, with the OS's separators. */
  relativePath: string;
  key: string;
  size: number;
  mtimeMs: number;
  contentType: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface UploadPlan {
  bucket: string;
  prefix: string;
  files: PlannedFile[];
  skipped: SkippedFile[];
  totalBytes: number;
}

export interface PlanOptions {
  bucket: string;
  prefix: string;
  junkFilter: JunkFilter;
}

interface WalkState {
  files: PlannedFile[];
  skipped: SkippedFile[];
  keys: Map<string, string>;
}

/**
 * Turns dropped files and folders into the list of objects to upload. A dropped folder keeps its
 * own name in the key, as a file manager's copy would.
 */
export async function planUpload(paths: string[], options: PlanOptions): Promise<UploadPlan> {
  const state: WalkState = { files: [], skipped: [], keys: new Map() };
  for (const dropped of paths) {
    const absolute = path.resolve(dropped);
    await visit(absolute, path.dirname(absolute), options, state, new Set());
  }
  const totalBytes = state.files.reduce((sum, file) => sum + file.size, 0);
  return {
    bucket: options.bucket,
    prefix: options.prefix,
    files: state.files,
    skipped: state.skipped,
    totalBytes,
  };
}

async function visit(
  absolute: string,
  root: string,
  options: PlanOptions,
  state: WalkState,
  ancestors: Set<string>,
): Promise<void> {
  let stats: Stats;
  try {
    stats = await fs.stat(absolute);
  } catch (error) {
    state.skipped.push({ path: absolute, reason: describeFsError(error) });
    return;
  }
  const name = path.basename(absolute);
  if (stats.isDirectory()) {
    await visitDirectory(absolute, root, options, state, ancestors, stats);
    return;
  }
  if (!stats.isFile()) {
    state.skipped.push({ path: absolute, reason: 'not a regular file (device, socket or pipe)' });
    return;
  }
  const junk = junkReason(name, options.junkFilter);
  if (junk) {
    state.skipped.push({ path: absolute, reason: junk });
    return;
  }
  const relativePath = path.relative(root, absolute);
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
    path: absolute,
    relativePath,
    key,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    contentType: contentTypeFor(name),
  });
}

async function visitDirectory(
  absolute: string,
  root: string,
  options: PlanOptions,
  state: WalkState,
  ancestors: Set<string>,
  stats: Stats,
): Promise<void> {
  // A symlink pointing at one of its own ancestors would make the walk endless.
  const identity = `${stats.dev}:${stats.ino}`;
  if (ancestors.has(identity)) {
    state.skipped.push({
      path: absolute,
      reason: 'symbolic link loop (points at a parent folder)',
    });
    return;
  }
  let entries: string[];
  try {
    entries = await fs.readdir(absolute);
  } catch (error) {
    state.skipped.push({ path: absolute, reason: describeFsError(error) });
    return;
  }
  entries.sort();
  const inner = new Set(ancestors).add(identity);
  for (const entry of entries) {
    await visit(path.join(absolute, entry), root, options, state, inner);
  }
}
