/**
 * Item 1 and 13 of the security review: a download never writes through a link or outside the
 * chosen folder, and bytes on disk are resumed only from the partial file the journal created.
 * Every attack runs against the real local S3 server.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../main/s3/client';
import { DownloadEngine } from '../../main/transfer/download/engine';
import { partialPathOf } from '../../main/transfer/download/fetchObject';
import { DownloadJournal } from '../../main/transfer/download/journal';
import { relativePathFor, targetPath } from '../../main/transfer/download/keyPaths';
import { openPartial } from '../../main/transfer/download/partialFile';
import { type DownloadSelection, planDownload } from '../../main/transfer/download/planner';
import { sha256, tempDir } from '../support/files';
import { checkingClient, freshBucket, localS3 } from '../support/s3env';

const MiB = 1024 * 1024;
let s3: ReturnType<typeof localS3>;
let checker: S3Client;
let bucket: string;
const objects = new Map<string, Buffer>();

/** The app's client, recording the Range header of every GET. */
function recordingClient(ranges: string[]): S3Client {
  const client = createS3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    checksumMode: 'WHEN_REQUIRED',
    maxSockets: 4,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetObjectCommand') {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        ranges.push(headers.range ?? 'whole');
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordRanges' },
  );
  return client;
}

async function openEngine(journalDir: string, client: S3Client): Promise<DownloadEngine> {
  return new DownloadEngine(async () => client, await DownloadJournal.open(journalDir), {
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
  });
}

async function download(selection: Omit<DownloadSelection, 'bucket'>, folder: string) {
  const ranges: string[] = [];
  const client = recordingClient(ranges);
  const engine = await openEngine(path.join(tempDir('sec-journal'), 'j'), client);
  const planned = await planDownload(client, { bucket, ...selection }, folder);
  await engine.enqueue(planned.plan);
  await engine.whenIdle();
  const items = engine.items();
  await engine.shutdown();
  return { items, ranges, skipped: planned.skipped };
}

beforeAll(async () => {
  s3 = localS3();
  checker = checkingClient(s3);
  bucket = await freshBucket(checker, 'sec-download');
  for (const [key, body] of [
    ['sub/x.jpg', randomBytes(40_000)],
    ['p/photo.jpg', randomBytes(300_000)],
  ] as const) {
    await checker.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    objects.set(key, body);
  }
  const parts = [randomBytes(5 * MiB), randomBytes(MiB)];
  const { UploadId } = await checker.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big/multi.bin' }),
  );
  const done = [];
  for (const [index, body] of parts.entries()) {
    const { ETag } = await checker.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'big/multi.bin',
        UploadId,
        PartNumber: index + 1,
        Body: body,
      }),
    );
    done.push({ ETag: ETag!, PartNumber: index + 1 });
  }
  await checker.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: 'big/multi.bin',
      UploadId,
      MultipartUpload: { Parts: done },
    }),
  );
  objects.set('big/multi.bin', Buffer.concat(parts));
});

describe('links planted in the download folder', () => {
  it('a linked sub-folder is skipped at planning, with the reason, and nothing lands behind it', async () => {
    const folder = tempDir('sec-dl-linkdir');
    const elsewhere = tempDir('sec-dl-elsewhere');
    symlinkSync(elsewhere, path.join(folder, 'sub'));
    const { items, skipped } = await download({ keys: [], prefixes: ['sub/'] }, folder);
    expect(items).toEqual([]);
    expect(skipped).toEqual([
      {
        key: 'sub/x.jpg',
        reason: `${path.join(folder, 'sub')} is a link: downloads are never written through links`,
      },
    ]);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a link planted after planning fails the item naming the link, and nothing lands behind it', async () => {
    const folder = tempDir('sec-dl-linkrace');
    const elsewhere = tempDir('sec-dl-elsewhere');
    const client = recordingClient([]);
    const planned = await planDownload(client, { bucket, keys: [], prefixes: ['sub/'] }, folder);
    expect(planned.plan.objects).toHaveLength(1);
    symlinkSync(elsewhere, path.join(folder, 'sub'));
    const engine = await openEngine(path.join(tempDir('sec-journal'), 'j'), client);
    await engine.enqueue(planned.plan);
    await engine.whenIdle();
    expect(engine.items()[0]).toMatchObject({
      state: 'failed',
      error: `${path.join(folder, 'sub')} is a link: downloads are never written through links`,
    });
    await engine.shutdown();
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it.each(['symbolic', 'hard'])(
    'a %s link planted as the partial file leaves its target untouched',
    async (kind) => {
      const folder = tempDir('sec-dl-partial');
      const victim = path.join(tempDir('sec-dl-victim'), 'victim.txt');
      writeFileSync(victim, 'precious bytes that must survive');
      const partial = partialPathOf(path.join(folder, 'photo.jpg'));
      if (kind === 'symbolic') symlinkSync(victim, partial);
      else linkSync(victim, partial);
      const { items, ranges } = await download({ keys: ['p/photo.jpg'], prefixes: [] }, folder);
      expect(items[0]!.state).toBe('done');
      expect(ranges).toEqual(['whole']);
      expect(readFileSync(victim, 'utf8')).toBe('precious bytes that must survive');
      expect(sha256(readFileSync(path.join(folder, 'photo.jpg')))).toBe(
        sha256(objects.get('p/photo.jpg')!),
      );
      expect(existsSync(partial)).toBe(false);
    },
  );

  it('on Windows (no O_NOFOLLOW) a link to the recorded file is caught by comparing lstat with the handle', async () => {
    const folder = tempDir('sec-dl-windows');
    const victim = path.join(folder, 'victim.bin');
    writeFileSync(victim, 'victim');
    const stat = statSync(victim, { bigint: true });
    const partial = path.join(folder, 'x.jpg.bucketdrop-partial');
    symlinkSync(victim, partial);
    // A journal that names the victim's inode, as a tampered one could: still not resumed.
    const record = { etag: '"e"', dev: String(stat.dev), ino: String(stat.ino) };
    const opened = await openPartial(partial, '"e"', record, 'win32');
    expect(opened.offset).toBe(0);
    expect(opened.record.ino).not.toBe(record.ino);
    await opened.handle.close();
    expect(readFileSync(victim, 'utf8')).toBe('victim');
  });
});

describe('partial files the journal did not create (item 13)', () => {
  it('a leftover partial of a multipart object is not spliced in: the download starts from zero', async () => {
    const folder = tempDir('sec-dl-leftover');
    const partial = partialPathOf(path.join(folder, 'multi.bin'));
    writeFileSync(partial, randomBytes(3 * MiB));
    const { items, ranges } = await download({ keys: ['big/multi.bin'], prefixes: [] }, folder);
    expect(items[0]!.state).toBe('done');
    expect(ranges).toEqual(['whole']);
    expect(sha256(readFileSync(path.join(folder, 'multi.bin')))).toBe(
      sha256(objects.get('big/multi.bin')!),
    );
  });

  it('a journaled partial resumes only if it is the same file, and only from the recorded length', async () => {
    const { ETag } = await checker.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'big/multi.bin' }),
    );
    const body = objects.get('big/multi.bin')!;
    const folder = tempDir('sec-dl-journaled');
    const target = path.join(folder, 'multi.bin');
    const partial = partialPathOf(target);
    // The journal's own file, with 2 MiB recorded; garbage was appended after it stopped.
    writeFileSync(partial, Buffer.concat([body.subarray(0, 2 * MiB), randomBytes(MiB)]));
    const own = statSync(partial, { bigint: true });
    const journalDir = tempDir('sec-dl-journal');
    const item = {
      id: 'dl-j1-0',
      key: 'big/multi.bin',
      target,
      size: body.length,
      etag: ETag!,
      partial: { etag: ETag!, dev: String(own.dev), ino: String(own.ino), bytes: 2 * MiB },
    };
    const batch = {
      id: 'j1',
      createdAt: new Date().toISOString(),
      bucket,
      folder,
      items: [item],
    };
    writeFileSync(path.join(journalDir, 'download-j1.json'), JSON.stringify(batch));
    let ranges: string[] = [];
    let engine = await openEngine(journalDir, recordingClient(ranges));
    expect(await engine.restore()).toBe(1);
    await engine.whenIdle();
    expect(engine.items()[0]!.state).toBe('done');
    await engine.shutdown();
    expect(ranges).toEqual([`bytes=${2 * MiB}-`]);
    expect(sha256(readFileSync(target))).toBe(sha256(body));

    // The same record, but another file now has the partial's name: not resumed.
    const folder2 = tempDir('sec-dl-swapped');
    const target2 = path.join(folder2, 'multi.bin');
    writeFileSync(partialPathOf(target2), body.subarray(0, 2 * MiB));
    const journalDir2 = tempDir('sec-dl-journal');
    writeFileSync(
      path.join(journalDir2, 'download-j1.json'),
      JSON.stringify({ ...batch, folder: folder2, items: [{ ...item, target: target2 }] }),
    );
    ranges = [];
    engine = await openEngine(journalDir2, recordingClient(ranges));
    expect(await engine.restore()).toBe(1);
    await engine.whenIdle();
    await engine.shutdown();
    expect(ranges).toEqual(['whole']);
    expect(sha256(readFileSync(target2))).toBe(sha256(body));
  });
});

describe('journal records and key names', () => {
  it('a journal whose target lies outside its folder is rejected on load, naming the file', async () => {
    const folder = tempDir('sec-dl-tampered');
    const outside = path.join(tempDir('sec-dl-outside'), 'x.jpg');
    const journalDir = tempDir('sec-dl-journal');
    const file = path.join(journalDir, 'download-t1.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 't1',
        createdAt: new Date().toISOString(),
        bucket,
        folder,
        items: [{ id: 'dl-t1-0', key: 'sub/x.jpg', target: outside, size: 40_000, etag: '' }],
      }),
    );
    const journal = await DownloadJournal.open(journalDir);
    const engine = new DownloadEngine(async () => recordingClient([]), journal);
    expect(await engine.restore()).toBe(0);
    expect(journal.rejected).toEqual([
      {
        file,
        reason: `items.0.target: ${outside} is outside the batch's folder ${folder}`,
      },
    ]);
    await engine.shutdown();
    expect(existsSync(outside)).toBe(false);
  });

  it('downloading into a filesystem root builds "/x.jpg", not "//x.jpg"', () => {
    expect(targetPath('/', 'x.jpg')).toBe('/x.jpg');
    expect(targetPath('/', path.join('a', 'b.jpg'))).toBe('/a/b.jpg');
    expect(() => targetPath('/a/b', path.join('..', 'bc'))).toThrow(/would leave the folder/);
  });

  it.each([
    ['shoot/CON', '"CON" is a device name reserved by Windows'],
    ['shoot/aux.jpg', '"aux.jpg" is a device name reserved by Windows'],
    ['shoot/COM1.tif', '"COM1.tif" is a device name reserved by Windows'],
    [
      'shoot/trailing./a.jpg',
      '"trailing." ends in a dot or a space, which Windows drops from file names',
    ],
    ['shoot/a.jpg ', '"a.jpg " ends in a dot or a space, which Windows drops from file names'],
    ['shoot/bell\u0007.jpg', '"bell\\u0007.jpg" contains a control character'],
  ])('on Windows, %j is refused with a reason', (key, reason) => {
    expect(relativePathFor(key, '', 'win32')).toEqual({ ok: false, reason });
    expect(relativePathFor(key, '', 'linux').ok).toBe(true);
  });
});
