import { describeFsError, describeS3Error, httpStatusOf } from '../errors';

/** A download failure whose message is already in plain words. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
}

const DOWNLOAD_S3_CAUSES: Record<string, string> = {
  AccessDenied: 'access denied: these credentials may not read this object',
  NoSuchKey: 'the object does not exist on the server',
  NotFound: 'the object does not exist on the server',
  // What S3 answers for a GET of a delete marker's version id.
  MethodNotAllowed: 'this version is a delete marker: there are no bytes to download',
  InvalidObjectState: 'the object is archived in Glacier: request a restore first',
};

/** Local file-system causes, seen from the side of the file being written. */
const DOWNLOAD_FS_CAUSES: Record<string, string> = {
  ENOSPC:
    'the disk is full: free some space and retry (the bytes downloaded so far are kept and the download resumes)',
  EDQUOT: 'the disk quota is exceeded: free some space and retry',
  EACCES: 'permission denied: the target folder is not writable',
  EPERM: 'the operating system does not allow writing to the target folder',
  EROFS: 'the target folder is on a read-only disk',
  ENAMETOOLONG: 'the file name is too long for this disk',
};

function codeOf(error: unknown): string | undefined {
  const e = error as { Code?: string; code?: string; name?: string };
  return e?.Code ?? e?.code ?? e?.name;
}

function isFsError(error: unknown): boolean {
  return Boolean((error as NodeJS.ErrnoException)?.syscall) && !('$metadata' in (error as object));
}

/** `versionId`: the download asked for that version, so "not found" is about the version. */
export function describeDownloadError(error: unknown, versionId?: string): string {
  if (error instanceof DownloadError) return error.message;
  const code = codeOf(error);
  if (isFsError(error)) return (code && DOWNLOAD_FS_CAUSES[code]) ?? describeFsError(error);
  if (
    versionId &&
    (code === 'NoSuchVersion' || code === 'NoSuchKey' || httpStatusOf(error) === 404)
  ) {
    return `version ${versionId} does not exist on the server (it may have been deleted for good)`;
  }
  if (code && DOWNLOAD_S3_CAUSES[code]) return DOWNLOAD_S3_CAUSES[code];
  const status = httpStatusOf(error);
  if (status === 403 && code === 'InvalidObjectState')
    return DOWNLOAD_S3_CAUSES.InvalidObjectState!;
  if (status === 403) return DOWNLOAD_S3_CAUSES.AccessDenied!;
  if (status === 404) return DOWNLOAD_S3_CAUSES.NoSuchKey!;
  return describeS3Error(error);
}

/** The object changed since the bytes on disk were fetched (If-Match failed). */
export function isObjectChanged(error: unknown): boolean {
  return codeOf(error) === 'PreconditionFailed' || httpStatusOf(error) === 412;
}
