/**
 * The one undelete behind the app and the command line, on a store whose marker removal does not
 * bring the version back: the first key finds out (and is copied back), the others are copied
 * back at once, one request each, and each result says how.
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createS3Client } from '../../main/s3/client';
import { deletedKeysUnder, undeleteKeys, type DeletedKey } from '../../main/versions/undelete';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { checkingClient, objectBytes, type LocalS3 } from '../support/s3env';
import { deleteAll, putAll, setupClient, versionedBucket } from '../support/versionsFixtures';
import { describeEachServer } from '../support/servers';

describeEachServer('undelete of many keys', (server) => {
  let s3: LocalS3;
  let proxy: FaultProxy;
  let client: S3Client;

  beforeAll(async () => {
    s3 = server;
    proxy = await startFaultProxy(s3.endpoint);
    client = createS3Client({
      endpoint: proxy.url,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 16,
    });
  });
  afterAll(() => proxy.close());

  async function deletedFolder(label: string, count: number) {
    const setup = setupClient(s3);
    const bucket = await versionedBucket(s3, label);
    const keys = Array.from({ length: count }, (_, i) => `gone/${i}.jpg`);
    const old = await putAll(setup, bucket, new Map(keys.map((key) => [key, `old ${key}`])));
    const last = await putAll(setup, bucket, new Map(keys.map((key) => [key, `last ${key}`])));
    await deleteAll(setup, bucket, keys);
    return { bucket, keys, versions: [old, last] };
  }

  async function deletedUnder(bucket: string): Promise<DeletedKey[]> {
    const targets: DeletedKey[] = [];
    for await (const target of deletedKeysUnder(client, bucket, 'gone/')) targets.push(target);
    return targets;
  }

  it('copies the newest version back when removing the marker does not bring it back', async () => {
    const { bucket, keys } = await deletedFolder('undelete-copy', 20);
    const targets = await deletedUnder(bucket);
    expect(targets.map((target) => target.key).sort()).toEqual([...keys].sort());
    // A store that answers 204 to the marker removal and leaves everything as it was.
    const silent = {
      send: (command: unknown, ...rest: unknown[]) =>
        command instanceof DeleteObjectCommand && command.input.VersionId
          ? Promise.resolve({})
          : (client.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest),
    } as unknown as S3Client;
    const mark = proxy.requests.length;
    const outcomes = await undeleteKeys(silent, bucket, targets, { keyConcurrency: 8 });
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(new Set(outcomes.map((outcome) => outcome.result!.strategy))).toEqual(
      new Set(['copied-previous-version']),
    );
    const first = outcomes.find((outcome) => outcome.result!.removedMarkers.length > 0)!;
    expect(first.result!.fallbackReason).toMatch(/did not bring back/);
    expect(
      outcomes.filter((outcome) => /found on an earlier key/.test(outcome.result!.fallbackReason!)),
    ).toHaveLength(targets.length - 1);
    const sent = proxy.requests.slice(mark).map((request) => request.operation);
    // One HEAD to check the first key, then one copy per key: no HEAD before the copies.
    expect(sent.filter((op) => op === 'HeadObject')).toHaveLength(1);
    expect(sent.filter((op) => op === 'CopyObject')).toHaveLength(targets.length);
    expect(sent).toHaveLength(targets.length + 1);
    const checker = checkingClient(s3);
    for (const { key } of targets) {
      expect((await objectBytes(checker, bucket, key)).toString()).toBe(`last ${key}`);
    }
  });

  it('reports a key that cannot come back by name, and undeletes the others', async () => {
    const { bucket, versions } = await deletedFolder('undelete-partial', 3);
    // Only a delete marker is left of gone/1.jpg: its versions were deleted for good.
    for (const ids of versions) {
      await checkingClient(s3).send(
        new DeleteObjectCommand({
          Bucket: bucket,
          Key: 'gone/1.jpg',
          VersionId: ids.get('gone/1.jpg'),
        }),
      );
    }
    const targets = await deletedUnder(bucket);
    expect(targets.map((target) => target.key)).toEqual(['gone/0.jpg', 'gone/1.jpg', 'gone/2.jpg']);
    const outcomes = await undeleteKeys(client, bucket, targets, { keyConcurrency: 1 });
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    expect(outcomes[1]!.error).toBe('gone/1.jpg: gone/1.jpg has no earlier version to bring back');
    const strategy = server.features.removesDeleteMarkers
      ? 'removed-delete-marker'
      : 'copied-previous-version';
    expect(outcomes[0]!.result!.strategy).toBe(strategy);
    expect(outcomes[2]!.result!.strategy).toBe(strategy);
    const checker = checkingClient(s3);
    expect((await objectBytes(checker, bucket, 'gone/2.jpg')).toString()).toBe('last gone/2.jpg');
  });
});
