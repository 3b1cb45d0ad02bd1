import { describe, expect, it } from 'vitest';
import { contentTypeFor } from '../../main/transfer/contentType';

describe('content types', () => {
  it.each([
    ['a.jpg', 'image/jpeg'],
    ['a.JPEG', 'image/jpeg'],
    ['a.png', 'image/png'],
    ['a.webp', 'image/webp'],
    ['a.avif', 'image/avif'],
    ['a.heic', 'image/heic'],
    ['a.heif', 'image/heif'],
    ['a.gif', 'image/gif'],
    ['a.tif', 'image/tiff'],
    ['a.tiff', 'image/tiff'],
    ['a.svg', 'image/svg+xml'],
    ['a.cr2', 'image/x-canon-cr2'],
    ['a.CR3', 'image/x-canon-cr3'],
    ['a.nef', 'image/x-nikon-nef'],
    ['a.arw', 'image/x-sony-arw'],
    ['a.dng', 'image/x-adobe-dng'],
    ['a.raf', 'image/x-fuji-raf'],
    ['a.orf', 'image/x-olympus-orf'],
    ['a.rw2', 'image/x-panasonic-rw2'],
    ['notes', 'application/octet-stream'],
    ['a.unknownext', 'application/octet-stream'],
  ])('%s is %s', (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });
});
