import type { DeleteRequest } from '../../preload/contract';
import { judgeDroppedPath } from '../service/droppedPathPolicy';
import { UserFacingError } from '../service/uploadService';

/** A question main asks in a native dialog, which the page can neither draw nor answer. */
export interface NativeQuestion {
  title: string;
  message: string;
  detail: string;
  /** The label of the button that goes ahead; the other one cancels and is the default. */
  confirmLabel: string;
}

/** True only when the user pressed the confirming button. */
export type AskUser = (question: NativeQuestion) => Promise<boolean>;

export interface ConfirmationHost {
  dataDir: string;
  ask: AskUser;
  /** Overrides the home folder whose secret folders are protected (tests). */
  homeDir?: string;
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/**
 * Paths the window dropped: our own data is never planned; secret and hidden folders only after
 * the user says so in a native dialog.
 */
export async function confirmDroppedPaths(
  paths: string[],
  { dataDir, ask, homeDir }: ConfirmationHost,
): Promise<void> {
  const sensitive: string[] = [];
  for (const file of paths) {
    const verdict = await judgeDroppedPath(file, { dataDir, ...(homeDir ? { homeDir } : {}) });
    if (verdict.kind === 'app-data') {
      throw new UserFacingError(
        `${file} cannot be uploaded: it is, or holds, Bucketdrop's own data folder.`,
      );
    }
    if (verdict.kind === 'sensitive') sensitive.push(`${file}: ${verdict.reason}`);
  }
  if (sensitive.length === 0) return;
  const agreed = await ask({
    title: 'Upload private files?',
    message: `Upload ${plural(sensitive.length, 'private or hidden item')}?`,
    detail: `${sensitive.slice(0, 10).join('\n')}${sensitive.length > 10 ? '\n…' : ''}\n\nThese usually hold keys, passwords or settings that should not leave this computer.`,
    confirmLabel: 'Upload them',
  });
  if (!agreed) {
    throw new UserFacingError('Not added: you chose not to upload private or hidden files.');
  }
}

/**
 * A deletion that may not be undone goes ahead only after main asks, naming the count and the
 * bucket: the page's own confirmation is only what the page says it is.
 */
export async function confirmDeletion(
  ask: AskUser,
  what: { bucket: string; count: string; detail: string; permanent: boolean },
): Promise<void> {
  const agreed = await ask({
    title: what.permanent ? 'Delete permanently?' : 'Delete?',
    message: `${what.permanent ? 'Permanently delete' : 'Delete'} ${what.count} from bucket ${what.bucket}?`,
    detail: what.detail,
    confirmLabel: what.permanent ? 'Delete permanently' : 'Delete',
  });
  if (!agreed) throw new UserFacingError('Nothing was deleted.');
}

/** Folder deletes and deletes of several keys; one file alone is the page's own confirmation. */
export function deleteNeedsConfirmation(request: DeleteRequest): boolean {
  return request.prefixes.length > 0 || request.keys.length > 1;
}

export function describeDeletion(request: DeleteRequest, objectsUnderFolders: number): string {
  const parts = [];
  if (request.keys.length > 0) parts.push(plural(request.keys.length, 'file'));
  if (request.prefixes.length > 0) {
    parts.push(
      `${plural(request.prefixes.length, 'folder')} holding ${plural(objectsUnderFolders, 'object')}`,
    );
  }
  return parts.join(' and ');
}
