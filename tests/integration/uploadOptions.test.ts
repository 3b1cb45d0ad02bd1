import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AbortMultipartUploadCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UploadOptions } from '../../preload/contract';
import { checkObjectAccess } from '../../main/buckets/accessCheck';
import { createBucketSafely } from '../../main/buckets/createBucket';
import { bucketOverview } from '../../main/buckets/overview';
import { BLOCK_PUBLIC_ACCESS_BUT_ACLS } from '../../main/buckets/writeCheck';
import { checkAclAllowed, checkTaggingSupported } from '../../main/buckets/probes';
import { createS3Client } from '../../main/s3/client';
import { TransferEngine } from '../../main/transfer/engine';
import { Journal } from '../../main/transfer/journal';
import { DEFAULT_JUNK_FILTER } from '../../main/transfer/junk';
import { planUpload } from '../../main/transfer/planner';
import { runCli, startCli } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, incompleteUploads, objectBytes } from '../support/s3env';
import { describeEachServer, type TestServer } from '../support/servers';

const MiB = 1024 * 1024;

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

describeEachServer('upload options', (server) => {
  const s3: TestServer = server;
  const { features } = server;
  let client: S3Client;
  let proxy: FaultProxy;
  let bucket: string;
  let dir: string;
  let smallJpeg: string;
  let largeJpeg: string;

  beforeAll(async () => {
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
        new AbortMultipartUploadCommand({
          Bucket: name,
          Key: upload.Key,
          UploadId: upload.UploadId,
        }),
      );
    }
  }

  function head(key: string) {
    return client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  }

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

  it('explains a storage class the store refuses, whatever code it refuses it with', async () => {
    // Swift: InvalidStorageClass; RGW: InvalidArgument with no message.
    const { items } = await upload([largeJpeg], { storageClass: 'DEEP_ARCHIVE' }, 'deep/');
    expect(items[0]!.error).toBe(
      'the store does not accept storage class DEEP_ARCHIVE: choose another (STANDARD works everywhere)',
    );
    expect(await incompleteUploads(client, bucket)).toEqual([]);
  });

  it.runIf(features.tags)(
    'stores tags and each storage class on single and multipart uploads (GetObjectTagging, HEAD)',
    async () => {
      const tags = [
        { key: 'client', value: 'acme' },
        { key: 'shoot', value: 'spring 2025' },
      ];
      for (const storageClass of features.storageClasses) {
        const prefix = `classes/${storageClass}/`;
        const { items } = await upload(
          [smallJpeg, largeJpeg],
          { storageClass: storageClass as UploadOptions['storageClass'], tags },
          prefix,
        );
        expect(items.map((item) => [item.state, item.note])).toEqual([
          ['done', undefined],
          ['done', undefined],
        ]);
        for (const name of ['small.jpg', 'large.jpg']) {
          const key = `${prefix}${name}`;
          const object = await head(key);
          // S3 leaves the header out for STANDARD.
          expect(object.StorageClass ?? 'STANDARD').toBe(storageClass);
          const stored = await client.send(
            new GetObjectTaggingCommand({ Bucket: bucket, Key: key }),
          );
          expect(stored.TagSet).toEqual(tags.map((t) => ({ Key: t.key, Value: t.value })));
          const local = await readFile(path.join(dir, name));
          expect((await objectBytes(client, bucket, key)).equals(local)).toBe(true);
        }
      }
    },
  );

  it('detects whether the store keeps object tags, leaving nothing behind', async () => {
    const finding = await checkTaggingSupported(client, bucket);
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
    const { items } = await upload([smallJpeg], { tags: [{ key: 'a', value: 'b' }] }, 'tags/');
    if (features.tags) {
      expect(finding.verdict).toBe('yes');
      expect(items[0]!.state).toBe('done');
    } else {
      expect(finding).toEqual({
        verdict: 'no',
        message:
          'This store does not support object tags. Remove the tags to upload: they would make every file fail.',
      });
      expect(items[0]!.error).toMatch(/does not support object tags/);
    }
  });

  it('answers "Is this object public?" from what the store reports', async () => {
    const finding = await checkAclAllowed(client, bucket, 'public-read');
    const access = await checkObjectAccess(client, bucket, 'stored/small.jpg');
    expect(access.reasons).toContain("The object's ACL grants access only to named accounts.");
    // Neither server reports Object Ownership, so an ACL may or may not be refused.
    expect(finding.verdict).toBe('unknown');
    if (!features.publicAccessCheck) {
      expect(finding.message).toMatch(/Object Ownership is not reported.*You may proceed/);
      expect(access.verdict).toBe('unknown');
      return;
    }
    expect(access.verdict).toBe('not-public');
    // A public-read object is public, until Block Public Access ignores public ACLs.
    const { items } = await upload([smallJpeg], { acl: 'public-read' }, 'public/');
    expect(items[0]!.state).toBe('done');
    const open = await checkObjectAccess(client, bucket, 'public/small.jpg');
    expect(open.verdict).toBe('public');
    const anonymous = await fetch(`${s3.endpoint}/${bucket}/public/small.jpg`);
    expect(anonymous.status).toBe(200);
    const guarded = await freshBucket(client, 'guarded');
    await client.send(
      new PutObjectCommand({ Bucket: guarded, Key: 'k.jpg', Body: 'x', ACL: 'public-read' }),
    );
    await client.send(
      new PutPublicAccessBlockCommand({
        Bucket: guarded,
        PublicAccessBlockConfiguration: BLOCK_PUBLIC_ACCESS_BUT_ACLS,
      }),
    );
    const ignored = await checkObjectAccess(client, guarded, 'k.jpg');
    expect(ignored.verdict).toBe('not-public');
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
      ['block-public-access', features.blockPublicAccess],
      ['lifecycle', features.lifecycle],
      ['write-check', true],
    ]);
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: name }));
    expect(versioning.Status).toBe('Enabled');
    const overview = await bucketOverview(client, name);
    expect(overview.region).toEqual({ known: true, value: 'us-east-1' });
    expect(overview.versioning).toEqual({ known: true, value: 'on' });
    if (features.blockPublicAccess) {
      // RGW refuses every PutObject under BlockPublicAcls: the other three are kept, and said so.
      expect(steps[2]!.message).toMatch(/on, except BlockPublicAcls/);
      const block = await client.send(new GetPublicAccessBlockCommand({ Bucket: name }));
      expect(block.PublicAccessBlockConfiguration).toEqual(
        features.blockPublicAclsStopsWrites
          ? BLOCK_PUBLIC_ACCESS_BUT_ACLS
          : { ...BLOCK_PUBLIC_ACCESS_BUT_ACLS, BlockPublicAcls: true },
      );
    } else {
      expect(steps[2]!.message).toMatch(/did not accept Block Public Access/);
      expect(overview.publicAccessBlock).toEqual({
        known: false,
        reason: 'the store answered without any setting',
      });
    }
    if (features.lifecycle) {
      const rules = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
      expect(rules.Rules).toEqual([
        expect.objectContaining({
          ID: 'bucketdrop-abort-incomplete-uploads',
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        }),
      ]);
    }
    // The write check left nothing behind, not even a version.
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: name }));
    expect([...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]).toEqual([]);

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

  it('command line: tags are refused once before uploading where the store has none, and mb makes a bucket that takes a tagged multipart upload', async () => {
    const tagged = await runCli(
      ['upload', smallJpeg, `s3://${bucket}/cli/`, '--tag', 'client=acme', '--json'],
      s3.env,
    );
    if (features.tags) {
      expect(tagged.code).toBe(0);
      const stored = await client.send(
        new GetObjectTaggingCommand({ Bucket: bucket, Key: 'cli/small.jpg' }),
      );
      expect(stored.TagSet).toEqual([{ Key: 'client', Value: 'acme' }]);
    } else {
      expect(tagged.code).toBe(1);
      expect(tagged.stderr).toBe(
        'bucketdrop: This store does not support object tags. Remove the tags to upload: they would make every file fail.\n',
      );
    }
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
    expect(made.stdout).toMatch(/^ok {3}A test object was written and removed/m);
    if (features.blockPublicAccess) {
      expect(made.stdout).toMatch(/^ok {3}Block Public Access is on/m);
    } else {
      expect(made.stdout).toMatch(/^not {2}The store did not accept Block Public Access/m);
    }
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: name }));
    expect(versioning.Status).toBe('Enabled');
    // The first upload into the new bucket: 20 MB, multipart, tagged where tags are kept.
    const big = path.join(tempDir('mb-first'), 'first.bin');
    writeFileSync(big, randomBytes(20 * MiB));
    const first = await runCli(
      ['upload', big, `s3://${name}/`, ...(features.tags ? ['--tag', 'client=acme'] : [])],
      s3.env,
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect((await objectBytes(client, name, 'first.bin')).equals(readFileSync(big))).toBe(true);
    expect(await incompleteUploads(client, name)).toEqual([]);
    if (features.tags) {
      const stored = await client.send(
        new GetObjectTaggingCommand({ Bucket: name, Key: 'first.bin' }),
      );
      expect(stored.TagSet).toEqual([{ Key: 'client', Value: 'acme' }]);
    }
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
