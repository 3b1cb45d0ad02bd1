import { describe, expect, it } from 'vitest';
import { describeDownloadError, isObjectChanged } from '../../main/transfer/download/errors';

/** Errors shaped as the SDK and Node raise them (injected: the local server has no archive). */
function s3Error(name: string, status: number) {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

function fsError(code: string, syscall: string) {
  return Object.assign(new Error(`${code}: ${syscall}`), { code, syscall });
}

describe('download failures in plain words', () => {
  it.each([
    [
      s3Error('InvalidObjectState', 403),
      'the object is archived in Glacier: request a restore first',
    ],
    [s3Error('AccessDenied', 403), 'access denied: these credentials may not read this object'],
    [s3Error('NoSuchKey', 404), 'the object does not exist on the server'],
    [s3Error('Unknown', 404), 'the object does not exist on the server'],
    [
      s3Error('MethodNotAllowed', 405),
      'this version is a delete marker: there are no bytes to download',
    ],
    [
      fsError('ENOSPC', 'write'),
      'the disk is full: free some space and retry (the bytes downloaded so far are kept and the download resumes)',
    ],
    [fsError('EACCES', 'open'), 'permission denied: the target folder is not writable'],
    [fsError('EROFS', 'open'), 'the target folder is on a read-only disk'],
  ])('%s', (error, message) => {
    expect(describeDownloadError(error)).toBe(message);
  });

  it('a missing version is named as such', () => {
    const gone =
      'version 3HL4kqtJ does not exist on the server (it may have been deleted for good)';
    expect(describeDownloadError(s3Error('NoSuchVersion', 404), '3HL4kqtJ')).toBe(gone);
    expect(describeDownloadError(s3Error('NoSuchKey', 404), '3HL4kqtJ')).toBe(gone);
    expect(describeDownloadError(s3Error('AccessDenied', 403), '3HL4kqtJ')).toBe(
      'access denied: these credentials may not read this object',
    );
  });

  it('a failed If-Match means the object changed', () => {
    expect(isObjectChanged(s3Error('PreconditionFailed', 412))).toBe(true);
    expect(isObjectChanged(s3Error('AccessDenied', 403))).toBe(false);
  });
});
