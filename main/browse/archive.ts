import type { ArchiveStatus } from '../../preload/contract';

/** Storage classes whose objects must be restored before they can be read. */
export const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

export function isArchived(storageClass: string | undefined): boolean {
  return ARCHIVE_CLASSES.has(storageClass ?? '');
}

/**
 * Reads `x-amz-restore`: `ongoing-request="true"` while S3 thaws the object, then
 * `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"` for the readable copy.
 */
export function archiveStatus(
  storageClass: string | undefined,
  restoreHeader?: string,
): ArchiveStatus {
  const archived = isArchived(storageClass);
  if (!restoreHeader) return { archived, restore: { state: 'none' } };
  if (/ongoing-request\s*=\s*"true"/i.test(restoreHeader)) {
    return { archived, restore: { state: 'ongoing' } };
  }
  const expiry = /expiry-date\s*=\s*"([^"]+)"/i.exec(restoreHeader)?.[1];
  const until = expiry ? new Date(expiry) : null;
  return {
    archived,
    restore: {
      state: 'restored',
      until: until && !Number.isNaN(until.getTime()) ? until.toISOString() : null,
    },
  };
}
