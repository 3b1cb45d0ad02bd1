import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DeleteObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/cli';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, objectBytes } from '../support/s3env';
import { describeEachServer, type TestServer } from '../support/servers';

describeEachServer('versions on the command line', (server) => {
  let s3: TestServer;
  let client: S3Client;

  beforeAll(() => {
    s3 = server;
    client = checkingClient(s3);
  });

  describe('versions on the command line', () => {
    it('lists, restores, undeletes and plans a point-in-time restore, auditing each', async () => {
      const bucket = await freshBucket(client, 'vcli');
      await client.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      for (const body of ['v1', 'v2', 'v3']) {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/photo.jpg', Body: body }));
      }
      const config = tempDir('config');
      const env = { ...s3.env, XDG_CONFIG_HOME: config };

      const listed = await runCli(['versions', `s3://${bucket}/a/photo.jpg`, '--json'], env);
      expect(listed.code).toBe(0);
      const lines = jsonLines(listed.stdout);
      expect(lines.at(-1)).toMatchObject({ type: 'summary', keys: 1, versions: 3, markers: 0 });
      const entries = lines.slice(0, -1) as Array<{ versionId: string; isLatest: boolean }>;
      expect(entries).toHaveLength(3);
      expect(entries[0]!.isLatest).toBe(true);
      const oldest = entries[2]!.versionId;

      const restored = await runCli(
        ['restore', `s3://${bucket}/a/photo.jpg`, '--version-id', oldest],
        env,
      );
      expect(restored.code).toBe(0);
      expect((await objectBytes(client, bucket, 'a/photo.jpg')).toString()).toBe('v1');

      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a/photo.jpg' }));
      const undeleted = await runCli(['undelete', `s3://${bucket}/a/photo.jpg`], env);
      expect(undeleted.code).toBe(0);
      expect(undeleted.stdout).toMatch(
        /^undeleted a\/photo\.jpg \((removed-delete-marker|copied-previous-version)[ :]/m,
      );
      expect((await objectBytes(client, bucket, 'a/photo.jpg')).toString()).toBe('v1');

      const dryRun = await runCli(
        ['restore-prefix', `s3://${bucket}/a/`, '--at', '2000-01-01T00:00:00Z', '--dry-run'],
        env,
      );
      expect(dryRun.code).toBe(0);
      expect(dryRun.stdout).toMatch(/nothing was changed \(dry run\)/);
      expect((await objectBytes(client, bucket, 'a/photo.jpg')).toString()).toBe('v1');

      const auditFile = path.join(config, 'Bucketdrop', 'audit', 'versions-audit.jsonl');
      expect(existsSync(auditFile)).toBe(true);
      const operations = readFileSync(auditFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { operation: string }).operation);
      expect(operations).toEqual(['restore', 'undelete']);
    });

    it('explains bad usage', async () => {
      const result = await runCli(['restore', 's3://b/k'], s3.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--version-id/);
    });
  });
});
