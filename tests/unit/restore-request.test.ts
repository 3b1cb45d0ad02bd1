import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestRestore } from '../../main/archive/restoreRequest';
import { createS3Client } from '../../main/s3/client';
import { type FakeServer, sendS3Error, startFakeServer } from '../support/fakeHttp';

describe('restore requests (injected responses: the local server lacks RestoreObject)', () => {
  let server: FakeServer;
  let next: { status: number; code?: string; restoreHeader?: string } = { status: 202 };

  beforeAll(async () => {
    server = await startFakeServer((request, response) => {
      if (request.method === 'HEAD') {
        response
          .writeHead(200, next.restoreHeader ? { 'x-amz-restore': next.restoreHeader } : {})
          .end();
        return;
      }
      if (next.code) return sendS3Error(response, next.status, next.code, 'nope');
      response.writeHead(next.status).end();
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const client = () =>
    createS3Client({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' },
      checksumMode: 'WHEN_REQUIRED',
      maxSockets: 2,
    });
  const request = { bucket: 'photos', key: 'raw/a.cr3', days: 5, tier: 'Bulk' as const };

  it('sends RestoreObject with the days and tier, then reports the new status', async () => {
    next = { status: 202, restoreHeader: 'ongoing-request="true"' };
    const status = await requestRestore(client(), request);
    const post = server.requests[0]!;
    expect(post.method).toBe('POST');
    expect(post.url).toMatch(/^\/photos\/raw\/a\.cr3\?restore/);
    expect(post.body.toString()).toMatch(/<Days>5<\/Days>.*<Tier>Bulk<\/Tier>/s);
    expect(status).toEqual({
      state: 'in-progress',
      message:
        'Restore of raw/a.cr3 requested (Bulk): it can be downloaded once the restore finishes.',
    });
  });

  it('an object already restored says until when', async () => {
    next = {
      status: 200,
      restoreHeader: 'ongoing-request="false", expiry-date="Fri, 21 Dec 2029 00:00:00 GMT"',
    };
    expect(await requestRestore(client(), request)).toEqual({
      state: 'restored',
      expiresAt: '2029-12-21T00:00:00.000Z',
      message: 'raw/a.cr3 is restored until 2029-12-21: it can be downloaded now.',
    });
  });

  it.each([
    [409, 'RestoreAlreadyInProgress', 'a restore is already in progress'],
    [403, 'InvalidObjectState', 'the object is not in an archive storage class'],
    [503, 'GlacierExpeditedRetrievalNotAvailable', 'expedited retrievals are not available'],
    [403, 'AccessDenied', 'access denied: these credentials may not restore this object'],
    [501, 'NotImplemented', "this store doesn't support restoring archived objects"],
  ])('HTTP %i %s is explained in plain words naming the key', async (status, code, cause) => {
    next = { status, code };
    await expect(requestRestore(client(), request)).rejects.toThrow(
      `Could not restore raw/a.cr3: ${cause}`,
    );
  });
});
