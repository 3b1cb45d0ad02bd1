import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  GetBucketVersioningCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { archiveStatus } from '../../main/browse/archive';
import { objectDetails } from '../../main/browse/details';
import { cloudFrontUrl, encodeKeyPath, objectUrls, presign } from '../../main/browse/links';
import { ThumbnailCache } from '../../main/browse/thumbnailCache';
import { tempDir } from '../support/files';

const scope = { connection: 'c1', endpoint: 'http://127.0.0.1:9000/' };
const id = (key: string) => ({ ...scope, bucket: 'b', key, etag: '"e"' });

describe('the thumbnail cache', () => {
  it('stays within its byte bound by evicting the least recently used', async () => {
    const dir = tempDir('thumb-cache');
    const cache = await ThumbnailCache.open(dir, 3000);
    await cache.put(id('a'), Buffer.alloc(1000, 1));
    await cache.put(id('b'), Buffer.alloc(1000, 2));
    await cache.put(id('c'), Buffer.alloc(1000, 3));
    // Reading "a" makes "b" the least recently used.
    expect(await cache.get(id('a'))).toEqual(Buffer.alloc(1000, 1));
    await cache.put(id('d'), Buffer.alloc(1000, 4));
    expect(cache.bytes).toBe(3000);
    expect(await cache.get(id('b'))).toBeNull();
    expect(cache.has(id('a'))).toBe(true);
    expect(cache.has(id('c'))).toBe(true);
    expect(readdirSync(path.join(dir, readdirSync(dir)[0]!))).toHaveLength(3);

    // A restart keeps the order of use and the bound, here a smaller one.
    const reopened = await ThumbnailCache.open(dir, 2000);
    expect(reopened.bytes).toBe(2000);
    expect(reopened.has(id('c'))).toBe(false);
    expect(await reopened.get(id('d'))).toEqual(Buffer.alloc(1000, 4));
    expect(readdirSync(path.join(dir, readdirSync(dir)[0]!))).toHaveLength(2);
  });

  it('keys by ETag, so a new upload under the same key is not served the old picture', async () => {
    const cache = await ThumbnailCache.open(tempDir('thumb-etag'), 10_000);
    await cache.put({ ...scope, bucket: 'b', key: 'k.jpg', etag: '"1"' }, Buffer.from('old'));
    expect(await cache.get({ ...scope, bucket: 'b', key: 'k.jpg', etag: '"2"' })).toBeNull();
    expect(await cache.get({ ...scope, bucket: 'b', key: 'k.jpg', etag: '"1"' })).toEqual(
      Buffer.from('old'),
    );
  });

  it('never keeps a thumbnail larger than the whole bound', async () => {
    const dir = tempDir('thumb-huge');
    const cache = await ThumbnailCache.open(dir, 100);
    await cache.put(id('huge'), Buffer.alloc(101));
    expect(cache.bytes).toBe(0);
    expect(existsSync(path.join(dir))).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('archive status (injected x-amz-restore values: the local server has no Glacier)', () => {
  it('reads ongoing and finished restores', () => {
    expect(archiveStatus('STANDARD')).toEqual({ archived: false, restore: { state: 'none' } });
    expect(archiveStatus('GLACIER')).toEqual({ archived: true, restore: { state: 'none' } });
    expect(archiveStatus('DEEP_ARCHIVE', 'ongoing-request="true"')).toEqual({
      archived: true,
      restore: { state: 'ongoing' },
    });
    expect(
      archiveStatus(
        'GLACIER',
        'ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"',
      ),
    ).toEqual({
      archived: true,
      restore: { state: 'restored', until: '2012-12-21T00:00:00.000Z' },
    });
  });
});

describe('object details (injected responses: the local server lacks Glacier and tag permissions)', () => {
  it('shows archive state and says why tags are unavailable', async () => {
    const client = new S3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const sent: string[] = [];
    client.send = (async (command: unknown) => {
      sent.push((command as object).constructor.name);
      if (command instanceof HeadObjectCommand) {
        return {
          ContentLength: 42,
          ETag: '"abc"',
          StorageClass: 'GLACIER',
          Restore: 'ongoing-request="true"',
          ServerSideEncryption: 'aws:kms',
          Metadata: { author: 'Ana' },
        };
      }
      if (command instanceof GetObjectTaggingCommand) {
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      }
      if (command instanceof GetBucketVersioningCommand) return { Status: 'Suspended' };
      throw new Error('unexpected command');
    }) as S3Client['send'];
    const details = await objectDetails(client, 'b', 'archive/raw.cr3');
    expect(sent.sort()).toEqual([
      'GetBucketVersioningCommand',
      'GetObjectTaggingCommand',
      'HeadObjectCommand',
    ]);
    expect(details).toMatchObject({
      size: 42,
      storageClass: 'GLACIER',
      serverSideEncryption: 'aws:kms',
      metadata: { author: 'Ana' },
      versioning: 'Suspended',
      archive: { archived: true, restore: { state: 'ongoing' } },
      tags: { available: false, reason: expect.stringMatching(/access denied/i) },
    });
  });
});

describe('share links', () => {
  const key = 'shoots/Fe\u0302te #2?/100% r\u00e9el (1).jpg';

  it('percent-encodes every reserved byte of a key but the slashes', () => {
    expect(encodeKeyPath(key)).toBe('shoots/Fe%CC%82te%20%232%3F/100%25%20r%C3%A9el%20%281%29.jpg');
    expect(decodeURIComponent(encodeKeyPath(key))).toBe(key);
  });

  it('builds virtual-hosted, path-style and CloudFront URLs', () => {
    expect(objectUrls(null, 'eu-west-3', 'photos', 'a b.jpg')).toEqual({
      virtualHosted: 'https://photos.s3.eu-west-3.amazonaws.com/a%20b.jpg',
      pathStyle: 'https://s3.eu-west-3.amazonaws.com/photos/a%20b.jpg',
    });
    expect(
      objectUrls(
        { protocol: 'http:', hostname: 'minio.local', port: 9000 },
        'x',
        'photos',
        'a#.jpg',
      ),
    ).toEqual({
      virtualHosted: 'http://photos.minio.local:9000/a%23.jpg',
      pathStyle: 'http://minio.local:9000/photos/a%23.jpg',
    });
    expect(cloudFrontUrl('https://d111.cloudfront.net/', 'a?.jpg')).toBe(
      'https://d111.cloudfront.net/a%3F.jpg',
    );
  });

  it('caps a presigned link at the expiry of the session credentials, and says so', async () => {
    const now = new Date('2026-01-01T12:00:00Z');
    const expiration = new Date('2026-01-01T12:30:00Z');
    const client = new S3Client({
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'ASIAEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'token',
        expiration,
      },
    });
    const link = await presign(client, 'photos', 'a.jpg', { expiresInSeconds: 86_400, now });
    expect(link.expiresAt).toBe(expiration.toISOString());
    expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe('1800');
    expect(link.limitedBy).toBe('session-expiry');

    const longLived = new S3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const week = await presign(longLived, 'photos', 'a.jpg', { expiresInSeconds: 9e6, now });
    expect(new URL(week.url).searchParams.get('X-Amz-Expires')).toBe('604800');
    expect(week.limitedBy).toBeUndefined();
  });
});
