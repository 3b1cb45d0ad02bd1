import type { LifecycleRule } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeRule } from '../../main/lifecycle/describe';
import {
  applyLifecycle,
  lifecycleOverview,
  mergeRules,
  previewLifecycle,
} from '../../main/lifecycle/rules';
import { createS3Client } from '../../main/s3/client';
import { type FakeServer, sendS3Error, sendXml, startFakeServer } from '../support/fakeHttp';

const EXISTING_XML = `<LifecycleConfiguration>
  <Rule><ID>raw-to-deep</ID><Filter><And><Prefix>raw/</Prefix><Tag><Key>keep</Key><Value>no</Value></Tag><ObjectSizeGreaterThan>1048576</ObjectSizeGreaterThan></And></Filter><Status>Enabled</Status>
    <Transition><Days>90</Days><StorageClass>DEEP_ARCHIVE</StorageClass></Transition>
    <NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>
  </Rule>
  <Rule><ID>tmp</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>
</LifecycleConfiguration>`;

const WITH_ABORT_XML = `<LifecycleConfiguration><Rule><ID>cleanup</ID><Filter></Filter><Status>Enabled</Status>
  <AbortIncompleteMultipartUpload><DaysAfterInitiation>3</DaysAfterInitiation></AbortIncompleteMultipartUpload>
</Rule></LifecycleConfiguration>`;

describe('lifecycle rules in plain words', () => {
  it('describes transitions, expirations, older versions, filters and aborts', () => {
    const rule: LifecycleRule = {
      ID: 'r',
      Status: 'Enabled',
      Filter: { Prefix: 'photos/' },
      Transitions: [{ Days: 30, StorageClass: 'GLACIER' }],
      Expiration: { Days: 365 },
      NoncurrentVersionTransitions: [{ NoncurrentDays: 7, StorageClass: 'STANDARD_IA' }],
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    };
    expect(describeRule(rule)).toEqual([
      'Objects under photos/ move to Glacier Flexible Retrieval 30 days after creation.',
      'Objects under photos/ are deleted 365 days after creation.',
      'Older versions under photos/ move to Standard-IA 7 days after they are replaced.',
      'Incomplete multipart uploads under photos/ are aborted 7 days after they start.',
    ]);
    expect(
      describeRule({
        Status: 'Enabled',
        Filter: {
          And: {
            Tags: [{ Key: 'kind', Value: 'raw' }],
            ObjectSizeGreaterThan: 1048576,
          },
        },
        Expiration: { ExpiredObjectDeleteMarker: true },
        NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 2 },
      }),
    ).toEqual([
      'Delete markers with no older versions left are removed.',
      'All older versions, tagged kind=raw, larger than 1 MiB are deleted 30 days after they are replaced (the newest 2 older versions are kept).',
    ]);
  });
});

describe('merging the recommended rules', () => {
  const existing: LifecycleRule[] = [
    { ID: 'mine', Status: 'Enabled', Filter: { Prefix: 'a/' }, Expiration: { Days: 3 } },
  ];

  it('keeps every existing rule first and untouched, then adds the new ones', () => {
    const merged = mergeRules(existing, {
      glacier: { prefix: 'photos/', days: 30 },
      abortIncomplete: { days: 7 },
    });
    expect(merged.rules[0]).toBe(existing[0]);
    expect(merged.added).toEqual([
      'bucketdrop-glacier-photos/-30d',
      'bucketdrop-abort-incomplete-7d',
    ]);
    expect(merged.rules.slice(1)).toEqual([
      {
        ID: 'bucketdrop-glacier-photos/-30d',
        Status: 'Enabled',
        Filter: { Prefix: 'photos/' },
        Transitions: [{ Days: 30, StorageClass: 'GLACIER' }],
      },
      {
        ID: 'bucketdrop-abort-incomplete-7d',
        Status: 'Enabled',
        Filter: { Prefix: '' },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
    ]);
  });

  it('refuses a duplicate ID and says when an equivalent rule exists', () => {
    const taken: LifecycleRule[] = [
      { ID: 'bucketdrop-glacier-photos/-30d', Status: 'Disabled', Filter: { Prefix: 'x/' } },
      {
        ID: 'cleanup',
        Status: 'Enabled',
        Filter: {},
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
      },
    ];
    const merged = mergeRules(taken, {
      glacier: { prefix: 'photos/', days: 30 },
      abortIncomplete: { days: 7 },
    });
    expect(merged.rules).toEqual(taken);
    expect(merged.added).toEqual([]);
    expect(merged.notAdded).toEqual([
      'A rule named "bucketdrop-glacier-photos/-30d" already exists: it was left as it is.',
      'Rule "cleanup" already aborts incomplete multipart uploads after 3 days.',
    ]);
  });
});

describe('lifecycle against a store (injected responses: the local server lacks lifecycle)', () => {
  let server: FakeServer;
  let answer: 'existing' | 'with-abort' | 'none' | 'denied' | 'put-denied' = 'existing';

  beforeAll(async () => {
    server = await startFakeServer((request, response) => {
      if (!request.url.includes('lifecycle')) return sendS3Error(response, 400, 'Unexpected', '');
      if (request.method === 'GET') {
        if (answer === 'none') {
          return sendS3Error(response, 404, 'NoSuchLifecycleConfiguration', 'none');
        }
        if (answer === 'denied') return sendS3Error(response, 403, 'AccessDenied', 'denied');
        if (answer === 'with-abort') return sendXml(response, 200, WITH_ABORT_XML);
        return sendXml(response, 200, EXISTING_XML);
      }
      if (answer === 'put-denied') return sendS3Error(response, 403, 'AccessDenied', 'denied');
      response.writeHead(200).end();
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    answer = 'existing';
  });

  const client = () =>
    createS3Client({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 2,
    });

  it('reads and describes the rules; no configuration means no rules', async () => {
    expect(await lifecycleOverview(client(), 'photos')).toEqual({
      supported: true,
      rules: [
        {
          id: 'raw-to-deep',
          enabled: true,
          sentences: [
            'Objects under raw/, tagged keep=no, larger than 1 MiB move to Glacier Deep Archive 90 days after creation.',
            'Older versions under raw/, tagged keep=no, larger than 1 MiB are deleted 30 days after they are replaced (the newest 2 older versions are kept).',
          ],
        },
        {
          id: 'tmp',
          enabled: false,
          sentences: ['Objects under tmp/ are deleted 1 day after creation.'],
        },
      ],
    });
    answer = 'none';
    expect(await lifecycleOverview(client(), 'photos')).toEqual({ supported: true, rules: [] });
  });

  it('previews without writing, then writes the existing rules plus the new one', async () => {
    const preview = await previewLifecycle(client(), 'photos', { abortIncomplete: { days: 7 } });
    expect(preview.rules.map((rule) => rule.id)).toEqual([
      'raw-to-deep',
      'tmp',
      'bucketdrop-abort-incomplete-7d',
    ]);
    expect(server.requests.map((request) => request.method)).toEqual(['GET']);

    await applyLifecycle(client(), 'photos', { abortIncomplete: { days: 7 } });
    const put = server.requests.find((request) => request.method === 'PUT')!;
    const xml = put.body.toString();
    expect(put.headers['content-md5']).toBeTruthy();
    expect(xml).toContain('<ID>raw-to-deep</ID>');
    expect(xml).toContain('<StorageClass>DEEP_ARCHIVE</StorageClass>');
    expect(xml).toContain('<NewerNoncurrentVersions>2</NewerNoncurrentVersions>');
    expect(xml).toContain('<ID>tmp</ID>');
    expect(xml).toContain('<Status>Disabled</Status>');
    expect(xml).toContain('<DaysAfterInitiation>7</DaysAfterInitiation>');
  });

  it('writes nothing when an equivalent rule exists, and says which', async () => {
    answer = 'with-abort';
    const result = await applyLifecycle(client(), 'photos', { abortIncomplete: { days: 7 } });
    expect(result.added).toEqual([]);
    expect(result.notAdded).toEqual([
      'Rule "cleanup" already aborts incomplete multipart uploads after 3 days.',
    ]);
    expect(server.requests.map((request) => request.method)).toEqual(['GET']);
  });

  it('a rule that also filters by tag and size is not equivalent to the plain one', async () => {
    const result = await previewLifecycle(client(), 'photos', {
      glacier: { prefix: 'raw/', days: 90 },
    });
    expect(result.added).toEqual(['bucketdrop-glacier-raw/-90d']);
  });

  it('explains AccessDenied on reading and on writing', async () => {
    answer = 'denied';
    await expect(lifecycleOverview(client(), 'photos')).rejects.toThrow(
      'Access denied: these credentials may not read the lifecycle rules of photos (s3:GetLifecycleConfiguration).',
    );
    answer = 'put-denied';
    await expect(
      applyLifecycle(client(), 'photos', { abortIncomplete: { days: 7 } }),
    ).rejects.toThrow(
      'Access denied: these credentials may not change the lifecycle rules of photos (s3:PutLifecycleConfiguration).',
    );
  });
});
