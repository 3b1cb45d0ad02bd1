import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  baseOfKey,
  baseOfPrefix,
  keepBothName,
  relativePathFor,
  targetPath,
} from '../../main/transfer/download/keyPaths';

describe('mapping keys to files below the download folder', () => {
  it('a prefix is recreated under its own name, a single key lands as its file name', () => {
    const base = baseOfPrefix('clients/shoot/');
    expect(relativePathFor('clients/shoot/day 1/a #1%.jpg', base)).toEqual({
      ok: true,
      relativePath: path.join('shoot', 'day 1', 'a #1%.jpg'),
      isFolderMarker: false,
    });
    expect(relativePathFor('clients/shoot/empty/', base)).toEqual({
      ok: true,
      relativePath: path.join('shoot', 'empty'),
      isFolderMarker: true,
    });
    expect(relativePathFor('a/b/photo.jpg', baseOfKey('a/b/photo.jpg'))).toEqual({
      ok: true,
      relativePath: 'photo.jpg',
      isFolderMarker: false,
    });
    expect(baseOfPrefix('')).toBe('');
  });

  it.each([
    ['shoot/../../etc/passwd', 'it contains "..", which would leave the folder'],
    ['shoot/./a.jpg', 'it contains ".", which would leave the folder'],
    ['shoot/a\0.jpg', 'its name contains a NUL byte'],
  ])('refuses %j', (key, reason) => {
    expect(relativePathFor(key, '')).toEqual({ ok: false, reason });
  });

  it('refuses keys that become absolute paths', () => {
    expect(relativePathFor('/etc/passwd', '')).toEqual({
      ok: false,
      reason: 'it would be written to an absolute path',
    });
    expect(relativePathFor('C:/Windows/x', '')).toEqual({
      ok: false,
      reason: 'it would be written to an absolute path',
    });
    expect(relativePathFor('photos//etc/x', 'photos/')).toEqual({
      ok: false,
      reason: 'it would be written to an absolute path',
    });
  });

  it('checks once more that the resolved path stays inside the folder', () => {
    expect(targetPath('/tmp/dl', path.join('a', 'b.jpg'))).toBe(path.resolve('/tmp/dl/a/b.jpg'));
    expect(() => targetPath('/tmp/dl', path.join('..', 'x'))).toThrow('would leave the folder');
  });

  it('"keep both" names keep the extension', () => {
    expect(keepBothName('/d/photo.jpg', 1)).toBe('/d/photo (1).jpg');
    expect(keepBothName('/d/README', 2)).toBe('/d/README (2)');
  });
});
