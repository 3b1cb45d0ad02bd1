import {
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteObjects } from '../../main/browse/deletion';
import { objectDetails } from '../../main/browse/details';
import { createFolder, folderKey } from '../../main/browse/folders';
import { objectUrls, presign } from '../../main/browse/links';
import { listPage, PAGE_SIZE } from '../../main/browse/listing';
import { ThumbnailCache } from '../../main/browse/thumbnailCache';
import { Thumbnailer } from '../../main/browse/thumbnails';
import { createS3Client } from '../../main/s3/client';
import { Semaphore } from '../../main/transfer/semaphore';
import { jsonLines, runCli } from '../support/cli';
import { tempDir } from '../support/files';
import { allKeys, checkingClient, freshBucket, localS3, objectBytes } from '../support/s3env';

/** Names a content team really uses: spaces, URL-special characters, both Unicode forms. */
const SPECIAL_NAMES = [
  'with space.jpg',
  'hash#1.jpg',
  'question?.jpg',
  'percent%20literal.jpg',
  'plus+and&amp.jpg',
  'F\u00eate NFC.jpg',
  'Fe\u0302te NFD.jpg',
  '\u65e5\u672c\u8a9e \ud83d\udcf7.jpg',
];
const BIG_FOLDER_KEYS = 3000;
const FIXTURE_KEYS = 5000;

let s3: ReturnType<typeof localS3>;
let checker: S3Client;
/** The app's own client, as the browse service builds it. */
let client: S3Client;
let bucket: string;
let fixture: string[];
/** Every request the app's client sends, by command name. */
const sent: string[] = [];

function fixtureKeys(): string[] {
  const keys: string[] = [];
  for (let i = 0; i < BIG_FOLDER_KEYS; i++) keys.push(`big/item-${String(i).padStart(4, '0')}.txt`);
  for (const name of SPECIAL_NAMES) keys.push(`special/${name}`, `special/sub folder/${name}`);
  let i = 0;
  while (keys.length < FIXTURE_KEYS) {
    const a = i % 7;
    const b = Math.floor(i / 7) % 11;
    keys.push(`nested/level ${a}/d\u00e9j\u00e0 ${b}/file-${i}.txt`);
    i++;
  }
  return keys;
}

beforeAll(async () => {
  s3 = localS3();
  checker = checkingClient(s3);
  client = createS3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    checksumMode: 'WHEN_REQUIRED',
    maxSockets: 8,
  });
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(context.commandName ?? '');
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  bucket = await freshBucket(checker, 'browse');
  fixture = fixtureKeys();
  const slots = new Semaphore(32);
  await Promise.all(
    fixture.map(async (key) => {
      const release = await slots.acquire();
      try {
        await checker.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      } finally {
        release();
      }
    }),
  );
}, 240_000);

async function listWhole(prefix: string, startsWith?: string) {
  const names: string[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await listPage(client, {
      bucket,
      prefix,
      ...(startsWith ? { startsWith } : {}),
      ...(token ? { continuationToken: token } : {}),
    });
    pages++;
    expect(page.objects.length + page.prefixes.length).toBeLessThanOrEqual(PAGE_SIZE);
    names.push(...page.objects.map((o) => o.key));
    prefixes.push(...page.prefixes);
    token = page.continuationToken ?? undefined;
  } while (token);
  return { names, prefixes, pages };
}

describe('browsing a 5,000-key fixture on the real local server', () => {
  it('answers the first page of a 3,000-key folder with one bounded request', async () => {
    sent.length = 0;
    const first = await listPage(client, { bucket, prefix: 'big/' });
    expect(sent.filter((name) => name === 'ListObjectsV2Command')).toHaveLength(1);
    expect(first.objects).toHaveLength(PAGE_SIZE);
    expect(first.continuationToken).not.toBeNull();
    expect(first.versioning).toBe('Off');
    expect(first.objects[0]).toMatchObject({ key: 'big/item-0000.txt', size: 17 });
  });

  it('pages through a folder with counts and names equal to a plain SDK listing', async () => {
    const whole = await listWhole('big/');
    expect(whole.pages).toBe(Math.ceil(BIG_FOLDER_KEYS / PAGE_SIZE));
    // The SDK as the independent client: its own paging, with the browser's delimiter.
    const independent: string[] = [];
    let token: string | undefined;
    do {
      const page = await checker.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: 'big/',
          Delimiter: '/',
          ContinuationToken: token,
        }),
      );
      independent.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(whole.names).toEqual(independent);
    expect(whole.names).toHaveLength(BIG_FOLDER_KEYS);
  });

  it('folds sub-folders at the root and in nested levels, as the raw listing implies', async () => {
    const root = await listWhole('');
    expect(root.prefixes).toEqual(['big/', 'nested/', 'special/']);
    expect(root.names).toEqual([]);
    const nested = await listWhole('nested/level 3/');
    const raw = await allKeys(checker, bucket, 'nested/level 3/');
    const children = [...new Set(raw.map((key) => key.split('/').slice(0, 3).join('/') + '/'))];
    expect(nested.prefixes.sort()).toEqual(children.sort());
    const inner = await listWhole(nested.prefixes[0]!);
    expect(inner.names.sort()).toEqual(
      raw.filter((key) => key.startsWith(nested.prefixes[0]!)).sort(),
    );
  });

  it('keeps special and Unicode names byte for byte, NFC and NFD apart', async () => {
    const special = await listWhole('special/');
    expect(special.prefixes).toEqual(['special/sub folder/']);
    expect(special.names.sort()).toEqual(SPECIAL_NAMES.map((name) => `special/${name}`).sort());
    expect(special.names).toContain('special/F\u00eate NFC.jpg');
    expect(special.names).toContain('special/Fe\u0302te NFD.jpg');
  });

  it('filters by the start of the name on the server', async () => {
    sent.length = 0;
    const filtered = await listWhole('big/', 'item-01');
    expect(filtered.names).toHaveLength(100);
    expect(filtered.names.every((key) => key.startsWith('big/item-01'))).toBe(true);
    expect(sent.filter((name) => name === 'ListObjectsV2Command')).toHaveLength(1);
  });
});

describe('share links on the real local server', () => {
  it('presigns GETs that fetch the exact bytes of special keys, addressed like our S3 URL', async () => {
    for (const name of SPECIAL_NAMES) {
      const key = `special/sub folder/${name}`;
      const link = await presign(client, bucket, key, { expiresInSeconds: 600 });
      const response = await fetch(link.url);
      expect(response.status, key).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).toString()).toBe(key);
      const endpoint = new URL(s3.endpoint);
      const urls = objectUrls(
        { protocol: endpoint.protocol, hostname: endpoint.hostname, port: Number(endpoint.port) },
        s3.region,
        bucket,
        key,
      );
      expect(new URL(urls.pathStyle).pathname, key).toBe(new URL(link.url).pathname);
    }
  });

  it('stops working after its expiry', async () => {
    const key = 'special/hash#1.jpg';
    const link = await presign(client, bucket, key, { expiresInSeconds: 2 });
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(2000);
    expect((await fetch(link.url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const expired = await fetch(link.url);
    expect(expired.status).toBe(403);
  });
});

describe('changing the bucket from the browser', () => {
  it('creates a folder as a zero-byte name/ key, and refuses names that cannot be one', async () => {
    const target = folderKey('special/', 'New shoot \u00e9t\u00e9');
    expect(target).toEqual({ ok: true, key: 'special/New shoot \u00e9t\u00e9/' });
    if (!target.ok) return;
    await createFolder(client, bucket, target.key);
    const head = await checker.send(new HeadObjectCommand({ Bucket: bucket, Key: target.key }));
    expect(head.ContentLength).toBe(0);
    const listed = await listWhole('special/');
    expect(listed.prefixes).toContain(target.key);
    const inside = await listWhole(target.key);
    expect(inside.names).toEqual([]);

    expect(folderKey('a/', 'x/y')).toMatchObject({
      ok: false,
      error: expect.stringContaining('slash'),
    });
    expect(folderKey('a/', '  ')).toMatchObject({ ok: false });
    expect(folderKey('a/', 'x'.repeat(1100))).toMatchObject({
      ok: false,
      error: expect.stringContaining('1024'),
    });
  });

  it('deletes on a versioned bucket by leaving a delete marker', async () => {
    const versioned = await freshBucket(checker, 'browse-ver');
    await checker.send(
      new PutBucketVersioningCommand({
        Bucket: versioned,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    for (const key of ['a/one.jpg', 'a/two.jpg', 'b/three.jpg']) {
      await checker.send(new PutObjectCommand({ Bucket: versioned, Key: key, Body: key }));
    }
    const first = await listPage(client, { bucket: versioned, prefix: '' });
    expect(first.versioning).toBe('Enabled');

    const report = await deleteObjects(client, versioned, ['b/three.jpg'], ['a/']);
    expect(report).toEqual({ deleted: 3, failures: [] });
    expect(await allKeys(checker, versioned)).toEqual([]);
    const versions = await checker.send(new ListObjectVersionsCommand({ Bucket: versioned }));
    expect((versions.DeleteMarkers ?? []).map((m) => m.Key).sort()).toEqual([
      'a/one.jpg',
      'a/two.jpg',
      'b/three.jpg',
    ]);
    expect((versions.Versions ?? []).length).toBe(3);
  });

  it('names each key a delete could not remove, with the cause', async () => {
    const denied = createS3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: {
        accessKeyId: s3.readOnlyAccessKeyId,
        secretAccessKey: s3.readOnlySecretAccessKey,
      },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 2,
    });
    const report = await deleteObjects(
      denied,
      bucket,
      ['big/item-0001.txt', 'big/item-0002.txt'],
      [],
    );
    expect(report.deleted).toBe(0);
    expect(report.failures.map((f) => f.key)).toEqual(['big/item-0001.txt', 'big/item-0002.txt']);
    expect(report.failures[0]!.message).toMatch(/access denied/i);
    expect(await objectBytes(checker, bucket, 'big/item-0001.txt')).toEqual(
      Buffer.from('big/item-0001.txt'),
    );
  });
});

describe('object details and thumbnails on the real local server', () => {
  it('shows what HEAD, tagging and versioning say', async () => {
    const key = 'details/F\u00eate #1.jpg';
    await checker.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: 'x'.repeat(1234),
        ContentType: 'image/jpeg',
        CacheControl: 'max-age=60',
        ContentDisposition: 'inline',
        Metadata: { photographer: 'Ana' },
      }),
    );
    await checker
      .send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: key,
          Tagging: { TagSet: [{ Key: 'client', Value: 'acme' }] },
        }),
      )
      .catch(() => undefined);
    // What the server says, asked independently: the local server keeps no tags.
    const independentTags = await checker
      .send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))
      .then((r) => Object.fromEntries((r.TagSet ?? []).map((t) => [t.Key!, t.Value ?? ''])));
    const details = await objectDetails(client, bucket, key);
    expect(details).toMatchObject({
      key,
      size: 1234,
      contentType: 'image/jpeg',
      cacheControl: 'max-age=60',
      contentDisposition: 'inline',
      metadata: { photographer: 'Ana' },
      storageClass: 'STANDARD',
      versioning: 'Off',
      archive: { archived: false, restore: { state: 'none' } },
    });
    expect(details.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(details.tags).toEqual({ available: true, tags: independentTags });
  });

  it('makes small WebP thumbnails of images, placeholders for the rest, within the cache bound', async () => {
    const jpeg = await sharp({
      create: { width: 1600, height: 1200, channels: 3, background: '#c04020' },
    })
      .jpeg()
      .toBuffer();
    await checker.send(new PutObjectCommand({ Bucket: bucket, Key: 'thumbs/red.jpg', Body: jpeg }));
    const etag = (
      await checker.send(new HeadObjectCommand({ Bucket: bucket, Key: 'thumbs/red.jpg' }))
    ).ETag!;
    const cache = await ThumbnailCache.open(tempDir('thumbs'), 1024 * 1024);
    const thumbnailer = new Thumbnailer(cache, 2, 1024 * 1024);
    const request = {
      bucket,
      key: 'thumbs/red.jpg',
      etag,
      size: jpeg.length,
      storageClass: 'STANDARD',
    };

    sent.length = 0;
    const made = await thumbnailer.thumbnail(client, request);
    expect(made.kind).toBe('image');
    if (made.kind !== 'image') return;
    const data = Buffer.from(made.dataUrl.replace(/^data:image\/webp;base64,/, ''), 'base64');
    const meta = await sharp(data).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width!, meta.height!)).toBe(256);
    expect(sent).toEqual(['GetObjectCommand']);

    sent.length = 0;
    expect(await thumbnailer.thumbnail(client, request)).toEqual(made);
    expect(sent).toEqual([]);

    expect(
      await thumbnailer.thumbnail(client, { ...request, key: 'big/item-0001.txt' }),
    ).toMatchObject({ kind: 'placeholder', reason: 'not-image' });
    expect(
      await thumbnailer.thumbnail(client, { ...request, storageClass: 'DEEP_ARCHIVE' }),
    ).toMatchObject({ kind: 'placeholder', reason: 'archived' });
    expect(
      await thumbnailer.thumbnail(client, { ...request, etag: '"other"', size: 2 * 1024 * 1024 }),
    ).toMatchObject({ kind: 'placeholder', reason: 'too-large' });
    expect(sent).toEqual([]);
  });
});

describe('the command line: ls, presign, rm', () => {
  it('lists a folder, recursively, and as JSON', async () => {
    const env = { ...s3.env, XDG_CONFIG_HOME: tempDir('config') };
    const folded = await runCli(['ls', `s3://${bucket}/special/`, '--json'], env);
    expect(folded.code).toBe(0);
    const lines = jsonLines(folded.stdout);
    expect(lines.filter((l) => l.type === 'prefix').map((l) => l.key)).toContain(
      'special/sub folder/',
    );
    expect(lines.filter((l) => l.type === 'object')).toHaveLength(SPECIAL_NAMES.length);

    const recursive = await runCli(['ls', `s3://${bucket}/nested/`, '--json', '--recursive'], env);
    expect(recursive.code).toBe(0);
    const keys = jsonLines(recursive.stdout).map((l) => l.key);
    expect(keys.sort()).toEqual(await allKeys(checker, bucket, 'nested/'));
  });

  it('presigns a link that fetches the object, and refuses an expiry over 7 days', async () => {
    const env = { ...s3.env, XDG_CONFIG_HOME: tempDir('config') };
    const key = 'special/question?.jpg';
    const result = await runCli(['presign', `s3://${bucket}/${key}`, '--expires', '10m'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Expires at \d{4}-/);
    const response = await fetch(result.stdout.trim());
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe(key);

    const tooLong = await runCli(['presign', `s3://${bucket}/${key}`, '--expires', '8d'], env);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/7d/);
  });

  it('removes one exact key, and a folder only with --recursive', async () => {
    const env = { ...s3.env, XDG_CONFIG_HOME: tempDir('config') };
    for (const key of ['rm/keep.jpg', 'rm/gone.jpg', 'rm/sub/a.jpg', 'rm/sub/b.jpg']) {
      await checker.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }
    const one = await runCli(['rm', `s3://${bucket}/rm/gone.jpg`], env);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`deleted s3://${bucket}/rm/gone.jpg`);

    const folder = await runCli(['rm', `s3://${bucket}/rm/sub`], env);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder.*--recursive/);

    const missing = await runCli(['rm', `s3://${bucket}/rm/nothing.jpg`], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('rm/nothing.jpg: no such object');

    const recursive = await runCli(['rm', `s3://${bucket}/rm/sub/`, '--recursive'], env);
    expect(recursive.code).toBe(0);
    expect(recursive.stdout).toContain('2 objects deleted');
    expect(await allKeys(checker, bucket, 'rm/')).toEqual(['rm/keep.jpg']);
  });
});
