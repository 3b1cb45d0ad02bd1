import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyLifecycle, lifecycleOverview, previewLifecycle } from '../../main/lifecycle/rules';
import { createS3Client } from '../../main/s3/client';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { checkingClient, freshBucket } from '../support/s3env';
import { describeEachServer } from '../support/servers';

const ADDITIONS = { glacier: { prefix: 'raw/', days: 30 }, abortIncomplete: { days: 7 } };

describeEachServer('lifecycle rules', (server) => {
  let checker: S3Client;
  let proxy: FaultProxy;
  let client: S3Client;

  beforeAll(async () => {
    checker = checkingClient(server);
    proxy = await startFaultProxy(server.endpoint);
    client = createS3Client({
      endpoint: proxy.url,
      region: server.region,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 2,
    });
  });
  afterAll(() => proxy.close());

  const writes = (from: number) =>
    proxy.requests.slice(from).filter((r) => r.method === 'PUT' && r.query.has('lifecycle'));

  it.runIf(server.features.lifecycle)(
    'adds the Glacier and abort-incomplete rules to the existing ones, once (GetBucketLifecycleConfiguration)',
    async () => {
      const bucket = await freshBucket(checker, 'lifecycle');
      expect(await lifecycleOverview(client, bucket)).toEqual({ supported: true, rules: [] });
      await checker.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: 'tmp',
                Status: 'Enabled',
                Filter: { Prefix: 'tmp/' },
                Expiration: { Days: 1 },
              },
            ],
          },
        }),
      );
      let mark = proxy.requests.length;
      const preview = await previewLifecycle(client, bucket, ADDITIONS);
      expect(preview.added).toEqual([
        'bucketdrop-glacier-raw/-30d',
        'bucketdrop-abort-incomplete-7d',
      ]);
      expect(writes(mark)).toEqual([]);

      const applied = await applyLifecycle(client, bucket, ADDITIONS);
      expect(applied.added).toEqual(preview.added);
      const stored = await checker.send(
        new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }),
      );
      const byId = new Map((stored.Rules ?? []).map((rule) => [rule.ID, rule]));
      expect([...byId.keys()].sort()).toEqual([
        'bucketdrop-abort-incomplete-7d',
        'bucketdrop-glacier-raw/-30d',
        'tmp',
      ]);
      expect(byId.get('tmp')).toMatchObject({ Status: 'Enabled', Expiration: { Days: 1 } });
      expect(byId.get('bucketdrop-glacier-raw/-30d')).toMatchObject({
        Status: 'Enabled',
        Transitions: [{ Days: 30, StorageClass: 'GLACIER' }],
      });
      expect(byId.get('bucketdrop-abort-incomplete-7d')).toMatchObject({
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      });
      // RGW gives some rules back with the old top-level Prefix instead of Filter: both count.
      const prefixOf = (id: string) => {
        const rule = byId.get(id)!;
        return rule.Filter?.Prefix ?? rule.Prefix;
      };
      expect([prefixOf('tmp'), prefixOf('bucketdrop-glacier-raw/-30d')]).toEqual(['tmp/', 'raw/']);

      // Read back in whatever shape, the rules are recognised: a second run writes nothing.
      mark = proxy.requests.length;
      const again = await applyLifecycle(client, bucket, ADDITIONS);
      expect(again.added).toEqual([]);
      expect(again.notAdded).toEqual([
        'Rule "bucketdrop-glacier-raw/-30d" already moves objects under raw/ to Glacier Flexible Retrieval after 30 days.',
        'Rule "bucketdrop-abort-incomplete-7d" already aborts incomplete multipart uploads after 7 days.',
      ]);
      expect(writes(mark)).toEqual([]);
      const overview = await lifecycleOverview(client, bucket);
      expect(overview.supported && overview.rules.map((rule) => rule.sentences).flat()).toContain(
        'Objects under raw/ move to Glacier Flexible Retrieval 30 days after creation.',
      );
    },
  );

  it.runIf(!server.features.lifecycle)(
    'a store that ignores ?lifecycle (Swift answers with a listing) is said to have no lifecycle support',
    async () => {
      const bucket = await freshBucket(checker, 'nolifecycle');
      expect(await lifecycleOverview(client, bucket)).toEqual({
        supported: false,
        message: "This store doesn't support lifecycle rules.",
      });
      await expect(applyLifecycle(client, bucket, ADDITIONS)).rejects.toThrow(
        "This store doesn't support lifecycle rules.",
      );
    },
  );
});
