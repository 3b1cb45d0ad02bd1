import path from 'node:path';

/** Where an object lands below the chosen folder, or why it may not be written there. */
export type KeyMapping =
  { ok: true; relativePath: string; isFolderMarker: boolean } | { ok: false; reason: string };

const WINDOWS_DRIVE = /^[A-Za-z]:/;
/** Device names Windows reserves in every folder, with or without an extension ("AUX.jpg"). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

/** Why Windows cannot hold a file of this name, or null when it can. */
export function windowsNameProblem(segment: string): string | null {
  if ([...segment].some((char) => char.charCodeAt(0) < 0x20)) {
    return `${JSON.stringify(segment)} contains a control character`;
  }
  if (/[\\:*?"<>|]/.test(segment)) return `"${segment}" is not a valid file name on Windows`;
  if (/[. ]$/.test(segment)) {
    return `"${segment}" ends in a dot or a space, which Windows drops from file names`;
  }
  if (WINDOWS_RESERVED.test(segment)) {
    return `"${segment}" is a device name reserved by Windows`;
  }
  return null;
}

/**
 * Maps a key to a path relative to the download folder. `base` is the part of the key that is
 * not recreated on disk: a chosen prefix minus its own last folder (downloading `photos/2024/`
 * creates `2024/...`), or a single key's folders (it lands as its file name).
 */
export function relativePathFor(
  key: string,
  base: string,
  platform: NodeJS.Platform = process.platform,
): KeyMapping {
  if (!key.startsWith(base)) return { ok: false, reason: `it is not under "${base}"` };
  if (key.includes('\0')) return { ok: false, reason: 'its name contains a NUL byte' };
  const rest = key.slice(base.length);
  if (rest.startsWith('/') || WINDOWS_DRIVE.test(rest)) {
    return { ok: false, reason: 'it would be written to an absolute path' };
  }
  const isFolderMarker = rest.endsWith('/');
  const segments = rest.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return { ok: false, reason: 'it has no file name' };
  for (const segment of segments) {
    if (segment === '..' || segment === '.') {
      return { ok: false, reason: `it contains "${segment}", which would leave the folder` };
    }
    const windowsProblem = platform === 'win32' ? windowsNameProblem(segment) : null;
    if (windowsProblem) return { ok: false, reason: windowsProblem };
  }
  return { ok: true, relativePath: segments.join(path.sep), isFolderMarker };
}

/** The part of a chosen prefix that is not recreated: everything before its last folder. */
export function baseOfPrefix(prefix: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

/** A single key lands as its own file name. */
export function baseOfKey(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

/** Resolves below `folder` and checks, once more, that the result stays inside it. */
export function targetPath(folder: string, relativePath: string): string {
  const root = path.resolve(folder);
  const target = path.resolve(root, relativePath);
  if (!isInside(root, target)) {
    throw new Error(`"${relativePath}" would leave the folder ${root}`);
  }
  return target;
}

/**
 * Whether `inner` lies strictly below `outer`; both absolute. Comparing relative paths rather
 * than prefixes keeps a filesystem root ("/", "D:\\") working and "/a/bc" out of "/a/b".
 */
export function isInside(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

/** "name (1).jpg", "name (2).jpg", …: the "keep both" names for an existing file. */
export function keepBothName(file: string, n: number): string {
  const ext = path.extname(file);
  const stem = ext && ext !== file ? file.slice(0, -ext.length) : file;
  return `${stem} (${n})${ext}`;
}

/** Version ids are the store's own strings: only file-name-safe characters, and not too many. */
const VERSION_IN_NAME_MAX = 32;

/** "name (version 3HL4kqtJ).jpg": a downloaded version whose plain name is taken. */
export function versionedName(file: string, versionId: string): string {
  const ext = path.extname(file);
  const stem = ext && ext !== file ? file.slice(0, -ext.length) : file;
  const safe = versionId.replace(/[^\w.-]/g, '_').slice(0, VERSION_IN_NAME_MAX);
  return `${stem} (version ${safe})${ext}`;
}

export const PARTIAL_SUFFIX = '.bucketdrop-partial';
