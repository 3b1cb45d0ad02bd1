import mime from 'mime';

/**
 * Camera RAW and newer image formats that the mime database lacks or types inconsistently;
 * a CMS or browser reading Content-Type should see an image, not octet-stream.
 */
const IMAGE_TYPES: Record<string, string> = {
  heic: 'image/heic',
  heif: 'image/heif',
  avif: 'image/avif',
  webp: 'image/webp',
  cr2: 'image/x-canon-cr2',
  cr3: 'image/x-canon-cr3',
  nef: 'image/x-nikon-nef',
  arw: 'image/x-sony-arw',
  dng: 'image/x-adobe-dng',
  raf: 'image/x-fuji-raf',
  orf: 'image/x-olympus-orf',
  rw2: 'image/x-panasonic-rw2',
};

export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

export function contentTypeFor(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return FALLBACK_CONTENT_TYPE;
  const extension = fileName.slice(dot + 1).toLowerCase();
  return IMAGE_TYPES[extension] ?? mime.getType(extension) ?? FALLBACK_CONTENT_TYPE;
}
