import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Thumbnail, ThumbnailRequest } from '../../preload/contract';
import type { ImageDecoder } from '../imaging/imageDecoder';
import { TOO_LARGE } from '../imaging/renderJob';
import { Semaphore } from '../transfer/semaphore';
import { describeS3Error } from '../transfer/errors';
import { isArchived } from './archive';
import type { ThumbnailCache, ThumbnailScope } from './thumbnailCache';

/** Images larger than this get a placeholder: a thumbnail is not worth a long download. */
export const MAX_SOURCE_BYTES = 15 * 1024 * 1024;
/** Longest side of a thumbnail, in pixels: two grid cells' worth on a high-density screen. */
export const THUMBNAIL_PIXELS = 256;
/** GETs and resizes at once: enough to fill a screen quickly, without starving uploads. */
export const THUMBNAIL_CONCURRENCY = 4;

/** Formats sharp reads; RAW, HEIC and SVG get a placeholder. */
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'avif', 'tif', 'tiff']);

export function isThumbnailable(key: string): boolean {
  const dot = key.lastIndexOf('.');
  return dot >= 0 && IMAGE_EXTENSIONS.has(key.slice(dot + 1).toLowerCase());
}

function placeholder(
  reason: Extract<Thumbnail, { kind: 'placeholder' }>['reason'],
  message: string,
): Thumbnail {
  return { kind: 'placeholder', reason, message };
}

/**
 * Makes thumbnails from a size-capped GET, a few at a time, cached on disk. The bytes are the
 * bucket's, so they are decoded by the image decoder's own process, never in main.
 */
export class Thumbnailer {
  private readonly slots: Semaphore;

  constructor(
    private readonly cache: ThumbnailCache,
    private readonly decoder: ImageDecoder,
    concurrency = THUMBNAIL_CONCURRENCY,
    private readonly maxSourceBytes = MAX_SOURCE_BYTES,
  ) {
    this.slots = new Semaphore(concurrency);
  }

  /**
   * `scope`: the connection and endpoint the client talks to, part of the cache key so that one
   * store's picture is never shown for another's object of the same bucket, key and ETag.
   */
  async thumbnail(
    client: S3Client,
    request: ThumbnailRequest,
    scope: ThumbnailScope,
  ): Promise<Thumbnail> {
    if (!isThumbnailable(request.key)) return placeholder('not-image', 'Not an image');
    if (isArchived(request.storageClass)) {
      return placeholder('archived', `Archived in ${request.storageClass}: restore it to see it`);
    }
    if (request.size > this.maxSourceBytes) {
      return placeholder('too-large', 'Too large for a preview');
    }
    // An ETag from the window is only a hint for the lookup; what is stored is keyed by the
    // ETag of the bytes main itself fetched.
    if (request.etag) {
      const cached = await this.cache.get({ ...scope, ...request });
      if (cached) return toDataUrl(cached);
    }
    const release = await this.slots.acquire();
    try {
      const source = await this.download(client, request);
      if (!source) return placeholder('too-large', 'Too large for a preview');
      const rendered = await this.decoder.render(source.data, {
        outputs: [{ edge: THUMBNAIL_PIXELS, format: 'webp', quality: 70 }],
      });
      if (!rendered.ok) {
        const tooLarge = rendered.reason === TOO_LARGE;
        return placeholder(tooLarge ? 'too-large' : 'failed', capitalize(rendered.reason));
      }
      const data = Buffer.from(rendered.images[0]!.data);
      if (source.etag) {
        await this.cache.put({ ...scope, ...request, etag: source.etag }, data);
      }
      return toDataUrl(data);
    } catch (error) {
      return placeholder('failed', `No preview: ${describeS3Error(error)}`);
    } finally {
      release();
    }
  }

  /** One ranged GET of at most the cap (plus a byte, to tell a larger object); null if larger. */
  private async download(
    client: S3Client,
    request: ThumbnailRequest,
  ): Promise<{ data: Buffer; etag: string } | null> {
    const response = await client.send(
      new GetObjectCommand({
        Bucket: request.bucket,
        Key: request.key,
        Range: `bytes=0-${this.maxSourceBytes}`,
        ...(request.etag ? { IfMatch: request.etag } : {}),
      }),
    );
    const data = Buffer.from(await response.Body!.transformToByteArray());
    return data.length > this.maxSourceBytes ? null : { data, etag: response.ETag ?? '' };
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function toDataUrl(data: Buffer): Thumbnail {
  return { kind: 'image', dataUrl: `data:image/webp;base64,${data.toString('base64')}` };
}
