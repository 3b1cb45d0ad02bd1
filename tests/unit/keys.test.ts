import { describe, expect, it } from 'vitest';
import { normalizePrefix, objectKeyFor, renamedKey } from '../../main/transfer/keys';

describe('object keys', () => {
  it('joins the prefix and relative path with slashes', () => {
    expect(objectKeyFor('shoots/2026/', 'wedding/day 1/IMG_0001.jpg')).toBe(
      'shoots/2026/wedding/day 1/IMG_0001.jpg',
    );
  });

  it('normalizes NFD names to NFC', () => {
    const nfd = 'Cafe\u0301/cre\u0300me.jpg';
    const key = objectKeyFor('', nfd);
    expect(key).toBe('Caf\u00e9/cr\u00e8me.jpg');
    expect(key.normalize('NFC')).toBe(key);
  });

  it('keeps characters that URLs treat specially', () => {
    expect(objectKeyFor('p/', 'a #1?%+.jpg')).toBe('p/a #1?%+.jpg');
  });

  it('refuses paths that climb out of the dropped folder', () => {
    expect(() => objectKeyFor('p/', '../secret.jpg')).toThrow(/climbs out/);
  });

  it('refuses keys over 1,024 bytes, naming the length', () => {
    expect(() => objectKeyFor('', `${'é'.repeat(600)}.jpg`)).toThrow(/1204 bytes.*1024/);
  });

  it('normalizes prefixes: no leading slash, one trailing slash', () => {
    expect(normalizePrefix('/photos//2026')).toBe('photos//2026/');
    expect(normalizePrefix('')).toBe('');
    expect(() => normalizePrefix('a/../b')).toThrow(/\.\./);
  });

  it('renames like a file manager', () => {
    expect(renamedKey('p/IMG.jpg', 1)).toBe('p/IMG (1).jpg');
    expect(renamedKey('p/README', 2)).toBe('p/README (2)');
    expect(renamedKey('p/.hidden', 1)).toBe('p/.hidden (1)');
  });
});
