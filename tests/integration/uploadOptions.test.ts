import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import {
  AbortMultipartUploadCommand,
  GetBucketVersioningCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadOptions } from '../../preload/contract';
import { checkObjectAccess } from '../../main/buckets/accessCheck';
import { createBucketSafely } from '../../main/buckets/createBucket';
import { bucketOverview } from '../../main/buckets/overview';
import { checkAclAllowed, checkTaggingSupported } from '../../main/buckets/probes';
import { createS3Client } from '../../main/s3/client';
import { TransferEngine } from '../../main/transfer/engine';
import { Journal } from '../../main/transfer/journal';
import { DEFAULT_JUNK_FILTER } from '../../main/transfer/junk';
import { planUpload } from '../../main/transfer/planner';
import { runCli, startCli } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, localS3 } from '../support/s3env';

const MiB = 1024 * 1024;

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let proxy: FaultProxy;
let bucket: string;
let dir: string;
let smallJpeg: string;
let largeJpeg: string;

/** A JPEG with a camera's EXIF; the large one has 12 MiB of trailing bytes so it goes multipart. */
async function cameraJpeg(file: string, padding = 0): Promise<string> {
  await sharp({ create: { width: 96, height: 64, channels: 3, background: '#2a6' } })
    .withMetadata({
      exif: {
        IFD0: { Make: 'FUJIFILM', Model: 'X-T5' },
        IFD2: { DateTimeOriginal: '2025:01:02 03:04:05' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '1/1 2/1 3/1' },
      },
      orientation: 3,
    })
    .jpeg()
    .toFile(file);
  if (padding > 0) appendFileSync(file, randomBytes(padding));
  return file;
}

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  proxy = await startFaultProxy(s3.endpoint);
  bucket = await freshBucket(client, 'options');
  dir = tempDir('options');
  smallJpeg = await cameraJpeg(path.join(dir, 'small.jpg'));
  largeJpeg = await cameraJpeg(path.join(dir, 'large.jpg'), 12 * MiB);
});

afterAll(() => proxy.close());

async function upload(files: string[], options: UploadOptions, prefix: string) {
  const engine = new TransferEngine(
    createS3Client({
      endpoint: proxy.url,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 4,
    }),
    await Journal.open(tempDir('journal')),
    {
      partSize: 5 * MiB,
      multipartThreshold: 8 * MiB,
      checksumMode: 'WHEN_REQUIRED',
      retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
    },
  );
  const plan = await planUpload(files, { bucket, prefix, junkFilter: DEFAULT_JUNK_FILTER });
  const mark = proxy.requests.length;
  await engine.enqueue(plan, { upload: options });
  await engine.whenIdle();
  const items = engine.items();
  await engine.shutdown();
  return { items, requests: proxy.requests.slice(mark) };
}

async function abortAll(name: string): Promise<void> {
  const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: name }));
  for (const upload of listed.Uploads ?? []) {
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: name, Key: upload.Key, UploadId: upload.UploadId }),
    );
  }
}

function head(key: string) {
  return client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
}

describe('upload options against the local S3 server', () => {
  it('stores Cache-Control, Content-Disposition, metadata and EXIF on single and multipart uploads', async () => {
    const { items, requests } = await upload(
      [smallJpeg, largeJpeg],
      {
        storageClass: 'STANDARD',
        cacheControl: 'public, max-age=31536000, immutable',
        contentDisposition: 'inline',
        metadata: [{ key: 'Project', value: 'spring-shoot' }],
        exifMetadata: true,
      },
      'stored/',
    );
    expect(items.map((item) => item.state)).toEqual(['done', 'done']);
    const operations = requests.map((request) => request.operation);
    expect(operations).toContain('PutObject');
    expect(operations).toContain('CreateMultipartUpload');
    for (const key of ['stored/small.jpg', 'stored/large.jpg']) {
      const object = await head(key);
      expect(object.CacheControl).toBe('public, max-age=31536000, immutable');
      expect(object.ContentDisposition).toBe('inline');
      expect(object.Metadata).toEqual({
        project: 'spring-shoot',
        width: '96',
        height: '64',
        'capture-date': '2025-01-02T03:04:05',
        'camera-model': 'FUJIFILM X-T5',
        orientation: '3',
      });
    }
  });

  it('explains, once per file and without retrying, that the store has no server-side encryption', async () => {
    const { items, requests } = await upload([smallJpeg], { sse: 'AES256' }, 'sse/');
    expect(items[0]!.state).toBe('failed');
    expect(items[0]!.error).toBe(
      'the store does not support server-side encryption (AES256): upload without it',
    );
    expect(requests.filter((request) => request.operation === 'PutObject')).toHaveLength(1);
  });

  it('explains a storage class the store refuses', async () => {
    const { items } = await upload([largeJpeg], { storageClass: 'GLACIER' }, 'glacier/');
    expect(items[0]!.error).toMatch(/does not accept storage class GLACIER/);
  });

  it('detects that the store keeps no object tags, leaving nothing behind', async () => {
    const finding = await checkTaggingSupported(client, bucket);
    expect(finding).toEqual({
      verdict: 'no',
      message:
        'This store does not support object tags. Remove the tags to upload: they would make every file fail.',
    });
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
    const { items } = await upload([smallJpeg], { tags: [{ key: 'a', value: 'b' }] }, 'tags/');
    expect(items[0]!.error).toMatch(/does not support object tags/);
  });

  it('says an ACL check is unknown where the store does not report ownership or Block Public Access', async () => {
    const finding = await checkAclAllowed(client, bucket, 'public-read');
    expect(finding.verdict).toBe('unknown');
    expect(finding.message).toMatch(/Object Ownership is not reported.*You may proceed/);
    const access = await checkObjectAccess(client, bucket, 'stored/small.jpg');
    expect(access.verdict).toBe('unknown');
    expect(access.reasons).toContain("The object's ACL grants access only to named accounts.");
  });

  it('creates a bucket with versioning on and reports the settings the store refused', async () => {
    const name = `t-setup-${randomBytes(4).toString('hex')}`;
    const steps = await createBucketSafely(client, {
      name,
      versioning: true,
      blockPublicAccess: true,
      abortIncompleteUploadsAfter7Days: true,
    });
    expect(steps.map((step) => [step.step, step.ok])).toEqual([
      ['create', true],
      ['versioning', true],
      ['block-public-access', false],
      ['lifecycle', false],
    ]);
    expect(steps[2]!.message).toMatch(/did not accept Block Public Access/);
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: name }));
    expect(versioning.Status).toBe('Enabled');

    const overview = await bucketOverview(client, name);
    expect(overview.region).toEqual({ known: true, value: 'us-east-1' });
    expect(overview.versioning).toEqual({ known: true, value: 'on' });
    expect(overview.publicAccessBlock).toEqual({
      known: false,
      reason: 'the store answered without any setting',
    });

    const again = await createBucketSafely(client, {
      name,
      versioning: false,
      blockPublicAccess: false,
      abortIncompleteUploadsAfter7Days: false,
    });
    expect(again).toHaveLength(1);
    expect(again[0]!.ok).toBe(false);
    expect(again[0]!.message).toMatch(new RegExp(`Bucket ${name} was not created: `));
  });

  it('command line: refuses tags once before uploading, and mb creates a versioned bucket', async () => {
    const refused = await runCli(
      ['upload', smallJpeg, `s3://${bucket}/cli/`, '--tag', 'client=acme', '--json'],
      s3.env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'bucketdrop: This store does not support object tags. Remove the tags to upload: they would make every file fail.\n',
    );
    const badFlag = await runCli(
      ['upload', smallJpeg, `s3://${bucket}/cli/`, '--meta', 'owner=Zoë'],
      s3.env,
    );
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(
      /the value of metadata key "owner" may only contain printable ASCII/,
    );

    const name = `t-cli-mb-${randomBytes(4).toString('hex')}`;
    const made = await runCli(['mb', `s3://${name}`], s3.env);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^ok {3}Bucket .* created/m);
    expect(made.stdout).toMatch(/^not {2}The store did not accept Block Public Access/m);
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: name }));
    expect(versioning.Status).toBe('Enabled');
    const invalid = await runCli(['mb', 's3://xn--photos'], s3.env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/starts with "xn--", which S3 reserves/);
  });

  it.each([
    ['continues the same upload', false],
    ['re-creates an upload aborted meanwhile from the journal', true],
  ])('a resumed multipart upload keeps its options: %s', async (_label, abortFirst) => {
    const resumeBucket = await freshBucket(client, 'optresume');
    const file = await cameraJpeg(path.join(tempDir('optresume'), 'resumed.jpg'), 24 * MiB);
    const journal = tempDir('journal');
    const env = { ...s3.env, AWS_ENDPOINT_URL: proxy.url };
    proxy.addRule({
      match: (request) => request.operation === 'UploadPart',
      fault: 'latency',
      delayMs: 250,
      times: Infinity,
    });
    const run = startCli(
      [
        'upload',
        file,
        `s3://${resumeBucket}/`,
        '--part-size',
        '5M',
        '--part-concurrency',
        '2',
        '--json',
        '--journal',
        journal,
        '--checksum',
        'when-required',
        '--cache-control',
        'no-cache',
        '--content-disposition',
        'attachment',
        '--meta',
        'client=acme',
        '--exif-meta',
      ],
      env,
    );
    await run.waitForLine(
      (line) =>
        line.includes('"type":"progress"') &&
        (JSON.parse(line) as { bytesDone: number }).bytesDone >= 10 * MiB,
    );
    run.child.kill('SIGKILL');
    await run.result;
    proxy.clearRules();
    if (abortFirst) await abortAll(resumeBucket);

    const mark = proxy.requests.length;
    const resumed = await runCli(['resume', '--journal', journal, '--json'], env);
    expect(resumed.code).toBe(0);
    const creates = proxy.requests
      .slice(mark)
      .filter((request) => request.operation === 'CreateMultipartUpload');
    expect(creates).toHaveLength(abortFirst ? 1 : 0);
    const object = await client.send(
      new HeadObjectCommand({ Bucket: resumeBucket, Key: 'resumed.jpg' }),
    );
    expect(object.CacheControl).toBe('no-cache');
    expect(object.ContentDisposition).toBe('attachment');
    expect(object.Metadata).toMatchObject({ client: 'acme', 'camera-model': 'FUJIFILM X-T5' });
  });
});
