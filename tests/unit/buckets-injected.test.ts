import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { checkObjectAccess } from '../../main/buckets/accessCheck';
import { createBucketSafely } from '../../main/buckets/createBucket';
import { bucketOverview } from '../../main/buckets/overview';
import { checkAclAllowed } from '../../main/buckets/probes';
import { createS3Client } from '../../main/s3/client';
import { BucketService } from '../../main/service/bucketService';
import { SettingsStore } from '../../main/service/settings';
import { TransferEngine } from '../../main/transfer/engine';
import { Journal } from '../../main/transfer/journal';
import { DEFAULT_JUNK_FILTER } from '../../main/transfer/junk';
import { planUpload } from '../../main/transfer/planner';
import { type FakeServer, sendS3Error, sendXml, startFakeServer } from '../support/fakeHttp';
import { tempDir, writeRandomFile } from '../support/files';

/**
 * Injected responses: the local Swift server lacks Block Public Access, policy status, Object
 * Ownership, lifecycle and KMS, so these answers come from a fake store speaking AWS's XML.
 */
type Answer = { status: number; xml?: string; error?: string };

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A store answering each bucket sub-resource (?publicAccessBlock, ?acl ...) as told. */
async function storeAnswering(answers: Record<string, Answer>): Promise<{
  client: S3Client;
  server: FakeServer;
}> {
  const server = await startFakeServer((request, response) => {
    const query = new URL(request.url, 'http://fake').searchParams;
    const resource = [...query.keys()].find((name) => name in answers) ?? request.method;
    const answer = answers[resource] ?? { status: 200, xml: '<Ok/>' };
    if (answer.error) sendS3Error(response, answer.status, answer.error, `${answer.error} here`);
    else if (answer.xml) sendXml(response, answer.status, answer.xml);
    else response.writeHead(answer.status).end();
  });
  servers.push(server);
  const client = new S3Client({
    endpoint: server.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  return { client, server };
}

const pab = (on: boolean) => ({
  status: 200,
  xml: `<PublicAccessBlockConfiguration><BlockPublicAcls>${on}</BlockPublicAcls><IgnorePublicAcls>${on}</IgnorePublicAcls><BlockPublicPolicy>${on}</BlockPublicPolicy><RestrictPublicBuckets>${on}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
});
const ownership = (rule: string) => ({
  status: 200,
  xml: `<OwnershipControls><Rule><ObjectOwnership>${rule}</ObjectOwnership></Rule></OwnershipControls>`,
});
const policyStatus = (isPublic: boolean) => ({
  status: 200,
  xml: `<PolicyStatus><IsPublic>${isPublic}</IsPublic></PolicyStatus>`,
});
const acl = (everyone: boolean) => ({
  status: 200,
  xml: `<AccessControlPolicy><Owner><ID>owner</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>owner</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>${everyone ? '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>' : ''}</AccessControlList></AccessControlPolicy>`,
});
const denied = { status: 403, error: 'AccessDenied' };

describe('ACL pre-check (injected responses: the local server lacks ownership controls and Block Public Access)', () => {
  it('says ACLs are disabled when Object Ownership is bucket owner enforced', async () => {
    const { client } = await storeAnswering({
      ownershipControls: ownership('BucketOwnerEnforced'),
    });
    const finding = await checkAclAllowed(client, 'photos', 'bucket-owner-full-control');
    expect(finding.verdict).toBe('no');
    expect(finding.message).toMatch(
      /^Bucket photos has ACLs disabled \(Object Ownership: bucket owner enforced\): uploads with the ACL bucket-owner-full-control would all fail/,
    );
  });

  it('says Block Public Access refuses a public ACL', async () => {
    const { client } = await storeAnswering({
      ownershipControls: ownership('ObjectWriter'),
      publicAccessBlock: pab(true),
    });
    const finding = await checkAclAllowed(client, 'photos', 'public-read');
    expect(finding.verdict).toBe('no');
    expect(finding.message).toMatch(/blocks public ACLs \(Block Public Access: BlockPublicAcls\)/);
  });

  it('lets a public ACL through when nothing blocks it, and says unknown when denied', async () => {
    const open = await storeAnswering({
      ownershipControls: ownership('ObjectWriter'),
      publicAccessBlock: { status: 404, error: 'NoSuchPublicAccessBlockConfiguration' },
    });
    expect(await checkAclAllowed(open.client, 'photos', 'public-read')).toEqual({
      verdict: 'yes',
      message: 'Bucket photos accepts the ACL public-read.',
    });
    const closed = await storeAnswering({ ownershipControls: denied, publicAccessBlock: denied });
    const finding = await checkAclAllowed(closed.client, 'photos', 'public-read');
    expect(finding.verdict).toBe('unknown');
    expect(finding.message).toMatch(
      /Object Ownership could not be read \(these credentials may not read it\); its Block Public Access settings could not be read/,
    );
  });
});

describe('Is this object public? (injected responses: the local server lacks policy status and Block Public Access)', () => {
  it('public through an ACL granting everyone read, with the reasoning', async () => {
    const { client } = await storeAnswering({
      publicAccessBlock: { status: 404, error: 'NoSuchPublicAccessBlockConfiguration' },
      policyStatus: { status: 404, error: 'NoSuchBucketPolicy' },
      acl: acl(true),
    });
    const report = await checkObjectAccess(client, 'photos', 'a.jpg');
    expect(report).toEqual({
      verdict: 'public',
      summary: 'Yes: s3://photos/a.jpg is public through its ACL.',
      reasons: [
        'The bucket has no Block Public Access settings.',
        'The bucket has no bucket policy.',
        "The object's ACL grants access to everyone (READ).",
      ],
    });
  });

  it('not public when Block Public Access overrides a public ACL and policy', async () => {
    const { client } = await storeAnswering({
      publicAccessBlock: pab(true),
      policyStatus: policyStatus(true),
      acl: acl(true),
    });
    const report = await checkObjectAccess(client, 'photos', 'a.jpg');
    expect(report.verdict).toBe('not-public');
    expect(report.summary).toMatch(
      /Block Public Access keeps s3:\/\/photos\/a.jpg from being public/,
    );
  });

  it('public through the bucket policy; unknown when the ACL may not be read', async () => {
    const viaPolicy = await storeAnswering({
      publicAccessBlock: pab(false),
      policyStatus: policyStatus(true),
      acl: acl(false),
    });
    expect((await checkObjectAccess(viaPolicy.client, 'photos', 'a.jpg')).summary).toBe(
      'Probably: the bucket policy of photos is public and may cover a.jpg.',
    );
    const hidden = await storeAnswering({
      publicAccessBlock: pab(false),
      policyStatus: policyStatus(false),
      acl: denied,
    });
    expect(await checkObjectAccess(hidden.client, 'photos', 'a.jpg')).toMatchObject({
      verdict: 'unknown',
      summary: "Unknown: the object's ACL could not be read (these credentials may not read it).",
    });
  });
});

describe('bucket overview (injected responses: the local server lacks Block Public Access, encryption and lifecycle)', () => {
  it('shows every setting, and "unknown (reason)" for one it may not read', async () => {
    const { client } = await storeAnswering({
      location: {
        status: 200,
        xml: '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>',
      },
      versioning: {
        status: 200,
        xml: '<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>',
      },
      publicAccessBlock: pab(true),
      encryption: {
        status: 200,
        xml: '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:eu-west-1:1:key/k1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>',
      },
      lifecycle: {
        status: 200,
        xml: '<LifecycleConfiguration><Rule><ID>tidy</ID><Status>Enabled</Status><Filter><Prefix></Prefix></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule><Rule><ID>archive</ID><Status>Disabled</Status><Filter><Prefix>raw/</Prefix></Filter><Transition><Days>30</Days><StorageClass>GLACIER_IR</StorageClass></Transition></Rule></LifecycleConfiguration>',
      },
    });
    expect(await bucketOverview(client, 'photos')).toEqual({
      bucket: 'photos',
      region: { known: true, value: 'eu-west-1' },
      versioning: {
        known: true,
        value: 'suspended (earlier versions are kept, new ones are not)',
      },
      publicAccessBlock: { known: true, value: 'all on' },
      encryption: { known: true, value: 'SSE-KMS with key arn:aws:kms:eu-west-1:1:key/k1' },
      lifecycle: {
        known: true,
        value: '2 rules',
        details: [
          'tidy (enabled, whole bucket): abort incomplete uploads after 7 days',
          'archive (disabled, under raw/): to GLACIER_IR after 30 days',
        ],
      },
    });
    const denying = await storeAnswering({
      location: denied,
      versioning: denied,
      publicAccessBlock: denied,
      encryption: { status: 404, error: 'ServerSideEncryptionConfigurationNotFoundError' },
      lifecycle: { status: 404, error: 'NoSuchLifecycleConfiguration' },
    });
    expect(await bucketOverview(denying.client, 'photos')).toMatchObject({
      region: { known: false, reason: 'these credentials may not read it' },
      publicAccessBlock: { known: false, reason: 'these credentials may not read it' },
      encryption: { known: true, value: 'none' },
      lifecycle: { known: true, value: 'no rules' },
    });
  });
});

/** A store where the bucket does not exist yet (HeadBucket 404). */
const NO_BUCKET_YET = { HEAD: { status: 404 } };

describe("bucket creation (injected responses: a region other than the local servers' one)", () => {
  it('sends the region, Block Public Access and the 7-day lifecycle rule where the store accepts them', async () => {
    const { client, server } = await storeAnswering(NO_BUCKET_YET);
    const steps = await createBucketSafely(client, {
      name: 'new-photos',
      region: 'eu-west-1',
      versioning: true,
      blockPublicAccess: true,
      abortIncompleteUploadsAfter7Days: true,
    });
    expect(steps.every((step) => step.ok)).toBe(true);
    const bodies = server.requests
      .filter((request) => request.method === 'PUT')
      .map((request) => request.body.toString());
    expect(bodies[0]).toMatch(/<LocationConstraint>eu-west-1<\/LocationConstraint>/);
    expect(bodies[1]).toMatch(/<Status>Enabled<\/Status>/);
    expect(bodies[2]).toMatch(
      /<BlockPublicAcls>true<\/BlockPublicAcls><IgnorePublicAcls>true<\/IgnorePublicAcls><BlockPublicPolicy>true<\/BlockPublicPolicy><RestrictPublicBuckets>true<\/RestrictPublicBuckets>/,
    );
    expect(bodies[3]).toMatch(/<DaysAfterInitiation>7<\/DaysAfterInitiation>/);
  });

  it("explains a region that the connection's endpoint cannot create", async () => {
    const { client } = await storeAnswering({
      ...NO_BUCKET_YET,
      PUT: { status: 400, error: 'IllegalLocationConstraintException' },
    });
    const steps = await createBucketSafely(client, {
      name: 'new-photos',
      region: 'ap-south-1',
      versioning: true,
      blockPublicAccess: true,
      abortIncompleteUploadsAfter7Days: true,
    });
    expect(steps).toEqual([
      {
        step: 'create',
        ok: false,
        message:
          'Bucket new-photos was not created: region ap-south-1 must be asked of its own endpoint: use a connection set to ap-south-1.',
      },
    ]);
  });

  it('refuses an invalid name before asking the store', async () => {
    const { client, server } = await storeAnswering({});
    await expect(
      createBucketSafely(client, {
        name: 'My Photos',
        versioning: true,
        blockPublicAccess: true,
        abortIncompleteUploadsAfter7Days: false,
      }),
    ).rejects.toThrow(/"My Photos" is not a valid bucket name: .*only lowercase letters/);
    expect(server.requests).toEqual([]);
  });
});

describe('request headers (injected responses: the local server has no KMS, tags or other storage classes)', () => {
  it('sends storage class, ACL, tags, SSE-KMS and its key on a single PUT and on a multipart create', async () => {
    const LARGE = 11 * 1024 * 1024;
    const store = await startFakeServer((request, response) => {
      const query = new URL(request.url, 'http://fake').searchParams;
      if (request.method === 'POST' && query.has('uploads')) {
        sendXml(
          response,
          200,
          '<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>',
        );
      } else if (request.method === 'POST') {
        sendXml(
          response,
          200,
          '<CompleteMultipartUploadResult><ETag>"x-3"</ETag></CompleteMultipartUploadResult>',
        );
      } else if (request.method === 'HEAD') {
        response.writeHead(200, { 'content-length': String(LARGE) }).end();
      } else {
        response.writeHead(200, { etag: '"0123456789abcdef0123456789abcdef"' }).end();
      }
    });
    servers.push(store);
    const dir = tempDir('kms');
    writeRandomFile(path.join(dir, 'small.jpg'), 1000);
    writeRandomFile(path.join(dir, 'large.jpg'), LARGE);
    const engine = new TransferEngine(
      createS3Client({
        endpoint: store.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        checksumMode: 'WHEN_REQUIRED',
        maxSockets: 4,
      }),
      await Journal.open(tempDir('journal')),
      {
        partSize: 5 * 1024 * 1024,
        multipartThreshold: 8 * 1024 * 1024,
        checksumMode: 'WHEN_REQUIRED',
      },
    );
    const plan = await planUpload([dir], {
      bucket: 'photos',
      prefix: '',
      junkFilter: DEFAULT_JUNK_FILTER,
    });
    await engine.enqueue(plan, {
      upload: {
        storageClass: 'GLACIER_IR',
        acl: 'bucket-owner-full-control',
        tags: [
          { key: 'client', value: 'Acme & Co' },
          { key: 'year', value: '2025' },
        ],
        sse: 'aws:kms',
        sseKmsKeyId: 'arn:aws:kms:us-east-1:1:key/k1',
      },
    });
    await engine.whenIdle();
    expect(engine.items().map((item) => item.state)).toEqual(['done', 'done']);
    await engine.shutdown();
    const creating = store.requests.filter(
      (request) =>
        (request.method === 'PUT' &&
          !request.url.includes('partNumber') &&
          !request.url.includes('tagging')) ||
        (request.method === 'POST' && request.url.includes('uploads')),
    );
    expect(creating).toHaveLength(2);
    for (const request of creating) {
      expect(request.headers['x-amz-server-side-encryption']).toBe('aws:kms');
      expect(request.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe(
        'arn:aws:kms:us-east-1:1:key/k1',
      );
      expect(request.headers['x-amz-storage-class']).toBe('GLACIER_IR');
      expect(request.headers['x-amz-acl']).toBe('bucket-owner-full-control');
      expect(request.headers['x-amz-tagging']).toBe('client=Acme%20%26%20Co&year=2025');
    }
    const parts = store.requests.filter((request) => request.url.includes('partNumber'));
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((request) => !request.headers['x-amz-server-side-encryption'])).toBe(true);
  });
});

describe('checks before a batch (injected responses: the local server lacks ownership controls)', () => {
  it('asks the store once per bucket, and reports a refused ACL and unsupported tags per field', async () => {
    const { client, server } = await storeAnswering({
      ownershipControls: ownership('BucketOwnerEnforced'),
      uploads: { status: 501, error: 'NotImplemented' },
    });
    const buckets = new BucketService({
      settings: await SettingsStore.open(tempDir('settings')),
      clients: {
        clientFor: async () => client,
        checksumModeFor: async () => 'WHEN_SUPPORTED',
      },
    });
    const options = {
      acl: 'public-read' as const,
      tags: [{ key: 'client', value: 'acme' }],
      metadata: [{ key: 'bad key', value: 'x' }],
    };
    const first = await buckets.checkUploadOptions({ bucket: 'photos', options });
    expect(first.problems.map((problem) => problem.field)).toEqual(['metadata', 'tags', 'acl']);
    expect(first.problems[2]!.message).toMatch(/has ACLs disabled/);
    const requests = server.requests.length;
    const again = await buckets.checkUploadOptions({ bucket: 'photos', options });
    expect(again).toEqual(first);
    expect(server.requests.length).toBe(requests);
  });
});
