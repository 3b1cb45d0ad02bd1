/**
 * Item 2 of the security review: untrusted image bytes are decoded in a separate process with a
 * pixel limit, a header check and a memory and time watchdog, so that a decompression bomb
 * neither freezes nor bloats the process that holds the keys.
 */
import { deflateSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { decoderBundle, utilityDecoderLauncher } from '../../main/app/imageDecoderProcess';
import { ThumbnailCache } from '../../main/browse/thumbnailCache';
import { Thumbnailer } from '../../main/browse/thumbnails';
import { ProcessImageDecoder } from '../../main/imaging/imageDecoder';
import { nodeDecoderLauncher } from '../../main/imaging/nodeDecoder';
import { TOO_LARGE } from '../../main/imaging/renderJob';
import { utilityProcess } from '../support/fakeElectron';
import { tempDir } from '../support/files';
import { REPO_ROOT } from '../support/s3env';
import { checkingClient, freshBucket, localS3 } from '../support/s3env';

/** Adam7's passes: where each starts and how far apart its pixels are. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/**
 * A 16-bit grey, Adam7-interlaced PNG of side × side black pixels. Every filter byte and every
 * sample is zero, so the image data is one long run of zeros that deflate packs a thousandfold.
 */
function pngBomb(side: number): Buffer {
  let raw = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const width = Math.ceil((side - x0) / dx);
    const height = Math.ceil((side - y0) / dy);
    if (width > 0 && height > 0) raw += height * (1 + width * 2);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([16, 0, 0, 0, 1], 8); // bit depth 16, grey, deflate, no filter, Adam7
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(raw), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let checker: S3Client;
let bucket: string;
let endpoint: string;
let bomb: Buffer;
let photo: Buffer;
const decoder = new ProcessImageDecoder(nodeDecoderLauncher());

beforeAll(async () => {
  const s3 = localS3();
  endpoint = s3.endpoint;
  checker = checkingClient(s3);
  bucket = await freshBucket(checker, 'sec-bomb');
  bomb = pngBomb(16383);
  photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3070c0' } })
    .jpeg()
    .toBuffer();
  await checker.send(new PutObjectCommand({ Bucket: bucket, Key: 'bomb.png', Body: bomb }));
  await checker.send(new PutObjectCommand({ Bucket: bucket, Key: 'photo.jpg', Body: photo }));
});

afterAll(() => decoder.close());

describe('a PNG decompression bomb in a bucket', () => {
  it('is a few MB made by the test, and really is 16383² 16-bit interlaced', async () => {
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    const meta = await sharp(bomb).metadata();
    expect(meta).toMatchObject({ width: 16383, height: 16383, depth: 'ushort' });
    expect(meta.isProgressive).toBe(true);
  });

  it('gets a "too large" placeholder within a second, with this process memory unchanged', async () => {
    const cache = await ThumbnailCache.open(tempDir('sec-bomb-thumbs'), 1024 * 1024);
    const thumbnailer = new Thumbnailer(cache, decoder, 4, 15 * 1024 * 1024);
    const scope = { connection: 'environment', endpoint };
    const request = (key: string, size: number) => ({
      bucket,
      key,
      etag: '',
      size,
      storageClass: 'STANDARD',
    });
    // Warms the decoder processes up: their start is not what is measured.
    const warm = await Promise.all([
      thumbnailer.thumbnail(checker, request('photo.jpg', photo.length), scope),
      thumbnailer.thumbnail(checker, request('photo.jpg', photo.length), scope),
    ]);
    expect(warm.map((thumbnail) => thumbnail.kind)).toEqual(['image', 'image']);
    const rssBefore = process.memoryUsage.rss();
    const started = performance.now();
    const row = await Promise.all(
      [1, 2, 3, 4].map(() =>
        thumbnailer.thumbnail(checker, request('bomb.png', bomb.length), scope),
      ),
    );
    const elapsed = performance.now() - started;
    expect(row).toEqual(
      Array(4).fill({
        kind: 'placeholder',
        reason: 'too-large',
        message: 'Preview unavailable: image too large',
      }),
    );
    expect(elapsed).toBeLessThan(1000);
    expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('a decoder process that passes its memory limit is killed and the image reported too large', async () => {
    const starved = new ProcessImageDecoder(
      nodeDecoderLauncher(undefined, { BUCKETDROP_DECODER_MEMORY_BYTES: '1' }),
    );
    expect(await starved.render(photo, { outputs: [{ edge: 64, format: 'webp' }] })).toEqual({
      ok: false,
      reason: TOO_LARGE,
    });
    await starved.close();
  });

  it('a decode that outlasts the time limit is killed, and the next image still renders', async () => {
    const hurried = new ProcessImageDecoder(nodeDecoderLauncher(), 1, 1);
    expect(await hurried.render(photo, { outputs: [{ edge: 64, format: 'webp' }] })).toEqual({
      ok: false,
      reason: TOO_LARGE,
    });
    await hurried.close();
    const rendered = await decoder.render(photo, { outputs: [{ edge: 64, format: 'png' }] });
    expect(rendered.ok && rendered.images[0]).toMatchObject({
      width: 64,
      height: 48,
      format: 'png',
    });
  });

  it("in the app, images are decoded in Electron's utility process, which refuses the bomb too", async () => {
    expect(decoderBundle('/opt/Bucketdrop/resources/app.asar')).toBe(
      '/opt/Bucketdrop/resources/app.asar/dist/main/imageDecoder.cjs',
    );
    const entry = path.join(REPO_ROOT, 'main/imaging/decoderProcess.ts');
    const inApp = new ProcessImageDecoder(utilityDecoderLauncher(entry), 1);
    const rendered = await inApp.render(photo, { outputs: [{ edge: 100, format: 'webp' }] });
    expect(rendered.ok && rendered.images[0]).toMatchObject({ width: 100, height: 75 });
    expect(await inApp.render(bomb, { outputs: [{ edge: 100, format: 'webp' }] })).toEqual({
      ok: false,
      reason: TOO_LARGE,
    });
    await inApp.close();
    expect(utilityProcess.forked).toEqual([
      { entry, options: { serviceName: 'Bucketdrop image decoder', stdio: 'ignore' } },
    ]);
  });
});
