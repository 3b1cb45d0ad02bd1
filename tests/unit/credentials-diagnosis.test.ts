import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeChecksumMode } from '../../main/credentials/checksumProbe';
import { Connections } from '../../main/credentials/connections';
import { diagnoseRequestError } from '../../main/credentials/problems';
import { testConnection } from '../../main/credentials/testConnection';
import { fakeCipher } from '../support/fakeCipher';
import { tempDir } from '../support/files';
import { type FakeS3, type FakeS3Options, startFakeS3 } from '../support/fakeS3';

// Frozen: the SDK tags credential objects it is given with a `$source` property.
const KEYS = Object.freeze({
  accessKeyId: 'AKIAEXAMPLEKEY123456',
  secretAccessKey: 'fake-secret-value',
});

let server: FakeS3 | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function fake(options: FakeS3Options = {}) {
  server = await startFakeS3(options);
  return {
    endpoint: server.url,
    region: 'us-east-1',
    forcePathStyle: true,
    checksumMode: 'WHEN_SUPPORTED' as const,
    credentials: { ...KEYS },
  };
}

describe('testConnection against AWS-only behaviours (fake S3)', () => {
  it('names an unknown access key, with a hint of the key and not the secret', async () => {
    const settings = await fake({
      failWith: { status: 403, code: 'InvalidAccessKeyId', message: 'no such key' },
    });
    const result = await testConnection(settings);
    expect(result).toMatchObject({ ok: false, problem: 'bad-access-key' });
    expect(result.message).toContain('does not know the access key ID AKIA…3456');
    expect(result.message).not.toContain(KEYS.secretAccessKey);
  });

  it('says an expired session token must be replaced', async () => {
    const settings = await fake({
      failWith: { status: 400, code: 'ExpiredToken', message: 'expired' },
    });
    const result = await testConnection(
      { ...settings, credentials: { ...KEYS, sessionToken: 'old' } },
      { source: { kind: 'access-key' } },
    );
    expect(result).toMatchObject({ ok: false, problem: 'expired-token' });
    expect(result.message).toMatch(/session token has expired.*enter fresh temporary credentials/);
  });

  it('follows a region redirect, reports the region and caches it for the bucket', async () => {
    const settings = await fake({ region: 'eu-central-1', buckets: ['photos'] });
    const dataDir = tempDir('connections');
    const connections = new Connections(dataDir, fakeCipher());
    const saved = await connections.save(
      {
        name: 'fake',
        kind: 'access-key',
        endpoint: settings.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        checksumMode: 'WHEN_SUPPORTED',
      },
      { ...KEYS },
    );
    const result = await connections.test({ id: saved.id }, { bucket: 'photos' });
    expect(result).toMatchObject({
      ok: true,
      region: 'eu-central-1',
      detectedRegion: 'eu-central-1',
    });
    expect(result.message).toBe(
      'Connected: bucket "photos" is reachable. It is in region eu-central-1, not us-east-1. Bucketdrop remembers this and uses eu-central-1 for it.',
    );
    expect((await connections.get(saved.id))?.bucketRegions).toEqual({ photos: 'eu-central-1' });
    expect((await connections.settingsFor(saved.id, 'photos')).region).toBe('eu-central-1');
    expect((await connections.settingsFor(saved.id, 'other')).region).toBe('us-east-1');
  });

  it('tests unsaved edits with the new secret, and stores nothing', async () => {
    const settings = await fake({ buckets: ['photos'] });
    const dataDir = tempDir('connections');
    const connections = new Connections(dataDir, fakeCipher());
    const result = await connections.test(
      {
        draft: {
          name: 'draft',
          kind: 'access-key',
          endpoint: settings.endpoint,
          forcePathStyle: true,
          checksumMode: 'WHEN_SUPPORTED',
        },
        secret: { ...KEYS },
      },
      { bucket: 'photos' },
    );
    expect(result).toMatchObject({ ok: true, buckets: ['photos'] });
    expect(server!.requests[0]!.headers.authorization).toContain(`Credential=${KEYS.accessKeyId}/`);
    expect(await connections.list()).toEqual([]);
    expect(existsSync(path.join(dataDir, 'secrets.json'))).toBe(false);
  });

  it('tells a missing bucket from a denied one', async () => {
    const settings = await fake({ buckets: ['photos'] });
    const result = await testConnection(settings, { bucket: 'nope' });
    expect(result).toMatchObject({ ok: false, problem: 'no-such-bucket' });
    expect(result.message).toContain('Bucket "nope" does not exist on this server');
  });
});

describe('signature mismatch wording', () => {
  const error = Object.assign(new Error('signature'), {
    name: 'SignatureDoesNotMatch',
    $metadata: { httpStatusCode: 403 },
  });

  it('blames the secret on AWS, which reports unknown keys separately', () => {
    const diagnosis = diagnoseRequestError(error, {
      region: 'us-east-1',
      accessKeyId: KEYS.accessKeyId,
    });
    expect(diagnosis.problem).toBe('bad-secret');
    expect(diagnosis.message).toMatch(
      /^The secret access key does not match the access key ID AKIA…3456/,
    );
  });

  it('asks to check both on other stores, which answer an unknown key the same way', () => {
    const diagnosis = diagnoseRequestError(error, {
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
    });
    expect(diagnosis.problem).toBe('bad-secret');
    expect(diagnosis.message).toMatch(/check both/);
  });
});

describe('probeChecksumMode against stores the local server is not', () => {
  it('picks WHEN_SUPPORTED for a store that checks CRC32, and leaves nothing behind', async () => {
    const settings = await fake({ crc32: 'verify' });
    const result = await probeChecksumMode(settings, 'photos');
    expect(result).toMatchObject({ mode: 'WHEN_SUPPORTED', verified: true });
    expect(result.reason).toContain('refused an upload with a wrong one');
    const keys = server!.requests.map((request) => `${request.method} ${request.url}`);
    expect(keys.some((line) => line.startsWith('POST /photos/.bucketdrop-probe/'))).toBe(true);
    expect(server!.objects.size).toBe(0);
    expect(server!.uploads.size).toBe(0);
  });

  it('picks WHEN_REQUIRED for a store that refuses checksum headers', async () => {
    const settings = await fake({ crc32: 'reject' });
    const result = await probeChecksumMode(settings, 'photos');
    expect(result.mode).toBe('WHEN_REQUIRED');
    expect(result.reason).toContain('refuses CRC32 checksum headers even when they are right');
    expect(server!.objects.size).toBe(0);
  });

  it('picks WHEN_REQUIRED when multipart uploads fail with part checksums', async () => {
    const settings = await fake({ crc32: 'verify', refuseCompleteChecksums: true });
    const result = await probeChecksumMode(settings, 'photos');
    expect(result.mode).toBe('WHEN_REQUIRED');
    expect(result.reason).toContain('refused a multipart upload with CRC32 part checksums');
    expect(server!.uploads.size).toBe(0);
    expect(server!.objects.size).toBe(0);
  });

  it('warns when the store checks no checksum at all', async () => {
    const settings = await fake({ crc32: 'ignore', md5: 'ignore' });
    const result = await probeChecksumMode(settings, 'photos');
    expect(result).toMatchObject({ mode: 'WHEN_REQUIRED', verified: false });
    expect(server!.objects.size).toBe(0);
  });

  it('reports a bucket it may not write to instead of guessing', async () => {
    const settings = await fake({ buckets: ['photos'] });
    await expect(probeChecksumMode(settings, 'missing')).rejects.toThrow(
      /Could not try uploads in bucket "missing".*does not exist/,
    );
  });
});
