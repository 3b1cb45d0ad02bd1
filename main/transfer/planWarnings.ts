import path from 'node:path';
import type { SkippedFile } from '../../preload/contract';

/** Folders and names that hold credentials or private keys. */
const KEY_FOLDERS = new Set(['.ssh', '.aws', '.gnupg', '.kube', '.docker']);
const KEY_FILE = /^(\.env(\..*)?|id_[a-z0-9_]+(\.pub)?|.*\.(pem|key|p12|pfx|ppk))$/i;
const NAMES_SHOWN = 5;

function listed(paths: string[]): string {
  const shown = paths.slice(0, NAMES_SHOWN).join(', ');
  return paths.length > NAMES_SHOWN ? `${shown} and ${paths.length - NAMES_SHOWN} more` : shown;
}

/**
 * Warnings for what a user rarely means to publish: hidden files, and anything that looks like a
 * private key or credentials (`.ssh`, `.aws`, `.env`, `*.pem`, `id_*`). Paths are relative to
 * the dropped item's parent, as the keys are.
 */
export function sensitiveWarnings(relativePaths: string[]): string[] {
  const keyMaterial: string[] = [];
  const hidden: string[] = [];
  for (const relative of relativePaths) {
    const segments = relative.split(path.sep);
    const name = segments[segments.length - 1]!;
    if (segments.some((segment) => KEY_FOLDERS.has(segment)) || KEY_FILE.test(name)) {
      keyMaterial.push(relative);
    } else if (segments.some((segment) => segment.startsWith('.'))) {
      hidden.push(relative);
    }
  }
  const warnings: string[] = [];
  if (keyMaterial.length > 0) {
    warnings.push(
      `${keyMaterial.length} file${keyMaterial.length === 1 ? ' looks' : 's look'} like keys or credentials and will be uploaded: ${listed(keyMaterial)}`,
    );
  }
  if (hidden.length > 0) {
    warnings.push(
      `${hidden.length} hidden file${hidden.length === 1 ? ' is' : 's are'} included: ${listed(hidden)}`,
    );
  }
  return warnings;
}

export interface SkipGroup {
  count: number;
  reason: string;
  /** The folder all of the group's files are in (their deepest common folder). */
  folder: string;
}

/** A skipped folder is listed with a trailing separator: it is its own folder. */
function folderOf(file: string): string {
  return file.endsWith(path.sep) ? file.slice(0, -1) : path.dirname(file);
}

function commonFolder(paths: string[]): string {
  let common = folderOf(paths[0]!);
  for (const file of paths) {
    while (
      common !== path.dirname(common) &&
      !`${file}${path.sep}`.startsWith(`${common}${path.sep}`)
    ) {
      common = path.dirname(common);
    }
  }
  return common.endsWith(path.sep) ? common : `${common}${path.sep}`;
}

/** Skipped files grouped by reason, for one summary line each: "50 skipped: permission denied (day2/)". */
export function groupSkipped(skipped: SkippedFile[]): SkipGroup[] {
  const byReason = new Map<string, string[]>();
  for (const file of skipped) {
    const paths = byReason.get(file.reason);
    if (paths) paths.push(file.path);
    else byReason.set(file.reason, [file.path]);
  }
  return [...byReason].map(([reason, paths]) => ({
    count: paths.length,
    reason,
    folder: commonFolder(paths),
  }));
}

/** Skipped files the user did not choose to leave out (junk filtered by their setting is). */
export function unintendedSkips(skipped: SkippedFile[]): SkippedFile[] {
  return skipped.filter((file) => !file.excluded);
}
