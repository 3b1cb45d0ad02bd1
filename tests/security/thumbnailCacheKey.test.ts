/**
 * Item 9 of the security review: a thumbnail is cached under the connection, the endpoint, the
 * bucket, the key and the ETag main itself read, never under an ETag the window left empty, and
 * a removed connection's thumbnails go with it.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThumbnailCache } from '../../main/browse/thumbnailCache';
import { Thumbnailer } from '../../main/browse/thumbnails';
import { Connections } from '../../main/credentials/connections';
import { ProcessImageDecoder } from '../../main/imaging/imageDecoder';
import { nodeDecoderLauncher } from '../../main/imaging/nodeDecoder';
import { createAppServices } from '../../main/service/appServices';
import { ConnectionService } from '../../main/service/connectionService';
import { SettingsStore } from '../../main/service/settings';
import { fakeCipher } from '../support/fakeCipher';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, localS3 } from '../support/s3env';

const decoder = new ProcessImageDecoder(nodeDecoderLauncher());
let checker: S3Client;
let bucket: string;
let red: Buffer;
let blue: Buffer;

const solid = (background: string) =>
  sharp({ create: { width: 64, height: 64, channels: 3, background } })
    .png()
    .toBuffer();

beforeAll(async () => {
  checker = checkingClient(localS3());
  bucket = await freshBucket(checker, 'sec-thumbs');
  [red, blue] = await Promise.all([solid('#ff0000'), solid('#0000ff')]);
  await checker.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.png', Body: red }));
});

afterAll(() => decoder.close());

function cacheFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.webp'),
  );
}

describe('thumbnail cache keys', () => {
  it('another connection or endpoint never gets a cached picture of the same bucket, key and ETag', async () => {
    const cache = await ThumbnailCache.open(tempDir('sec-thumbkey'), 1024 * 1024);
    const id = { bucket: 'b', key: 'k.jpg', etag: '"1"' };
    await cache.put({ connection: 'one', endpoint: 'https://s3.one.example/', ...id }, red);
    expect(await cache.get({ connection: 'two', endpoint: 'https://s3.one.example/', ...id })).toBe(
      null,
    );
    expect(await cache.get({ connection: 'one', endpoint: 'https://s3.two.example/', ...id })).toBe(
      null,
    );
    expect(
      await cache.get({ connection: 'one', endpoint: 'https://s3.one.example/', ...id }),
    ).toEqual(red);
  });

  it('an empty ETag from the window is not trusted: the cache is keyed on the ETag main read', async () => {
    const dir = tempDir('sec-thumbkey-empty');
    const cache = await ThumbnailCache.open(dir, 1024 * 1024);
    const thumbnailer = new Thumbnailer(cache, decoder);
    const scope = { connection: 'environment', endpoint: 'local' };
    const request = { bucket, key: 'a.png', etag: '', size: red.length, storageClass: 'STANDARD' };
    const first = await thumbnailer.thumbnail(checker, request, scope);
    expect(first.kind).toBe('image');
    expect(await cache.get({ ...scope, bucket, key: 'a.png', etag: '' })).toBeNull();
    // A new upload under the key: with an empty ETag the old picture must not come back.
    await checker.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.png', Body: blue }));
    const second = await thumbnailer.thumbnail(checker, request, scope);
    expect(second).not.toEqual(first);
    expect(cacheFiles(dir)).toHaveLength(2);
    await cache.put({ ...scope, bucket, key: 'x.png', etag: '' }, red);
    expect(cacheFiles(dir)).toHaveLength(2);
  });

  it('removing a connection deletes its thumbnails, and only its own', async () => {
    const dataDir = tempDir('sec-thumbkey-remove');
    const settings = await SettingsStore.open(dataDir);
    const connections = new ConnectionService(new Connections(dataDir, fakeCipher()), settings, 8);
    const id = { endpoint: 'e', bucket: 'b', key: 'k', etag: '"1"' };
    const before = await ThumbnailCache.open(path.join(dataDir, 'thumbnails'), 1024 * 1024);
    await before.put({ connection: 'gone', ...id }, red);
    await before.put({ connection: 'kept', ...id }, blue);
    // Wired as the app wires it.
    const services = await createAppServices({
      dataDir,
      settings,
      connections,
      pickPaths: async () => null,
      pickSaveFile: async () => null,
      pickDownloadFolder: async () => null,
      onProgress: () => {},
      onNotice: () => {},
      imageDecoder: new ProcessImageDecoder(nodeDecoderLauncher()),
    });
    await connections.remove({ id: 'gone' });
    const left = await ThumbnailCache.open(path.join(dataDir, 'thumbnails'), 1024 * 1024);
    expect(await left.get({ connection: 'gone', ...id })).toBeNull();
    expect(await left.get({ connection: 'kept', ...id })).toEqual(blue);
    await services.shutdown();
  });
});
