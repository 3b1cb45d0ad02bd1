import { beforeAll, describe, expect, it } from 'vitest';
import { Connections } from '../../main/credentials/connections';
import type { ProfileDraft } from '../../main/credentials/profiles';
import { ConnectionService } from '../../main/service/connectionService';
import { SettingsStore } from '../../main/service/settings';
import { fakeCipher } from '../support/fakeCipher';
import { type FakeServer, startFakeServer } from '../support/fakeHttp';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, localS3, type LocalS3 } from '../support/s3env';

let s3: LocalS3;
let bucket: string;

beforeAll(async () => {
  s3 = localS3();
  bucket = await freshBucket(checkingClient(s3), 'secret-origin');
});

/** Another server the connection is pointed at: it records what it is sent, and refuses it. */
async function otherServer(): Promise<FakeServer> {
  return startFakeServer((_request, response) => {
    response.writeHead(403, { 'Content-Type': 'application/xml' });
    response.end('<Error><Code>AccessDenied</Code><Message>no</Message></Error>');
  });
}

function sentTheKey(server: FakeServer): boolean {
  return server.requests.some((request) =>
    JSON.stringify(request.headers).includes(s3.accessKeyId),
  );
}

async function savedConnection() {
  const dataDir = tempDir('secret-origin');
  const service = new ConnectionService(
    new Connections(dataDir, fakeCipher()),
    await SettingsStore.open(dataDir),
    8,
  );
  const draft: ProfileDraft = {
    name: 'local',
    kind: 'access-key',
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    checksumMode: 'WHEN_REQUIRED',
  };
  const result = await service.save({
    draft,
    secret: {
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      sessionToken: 'old-session-token',
    },
  });
  const id = (result as { saved: { id: string } }).saved.id;
  return { service, draft: { ...draft, id } };
}

describe('#13 item 5: a stored secret stays with the endpoint it was entered for', () => {
  it('is not used to test a draft with another endpoint', async () => {
    const { service, draft } = await savedConnection();
    const other = await otherServer();
    try {
      const result = await service.test({ draft: { ...draft, endpoint: other.url }, bucket });
      expect(result).toMatchObject({ ok: false, problem: 'no-credentials' });
      expect(result.message).toContain('The endpoint changed');
      expect(sentTheKey(other)).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('is not saved onto another endpoint: the key and secret must be entered again', async () => {
    const { service, draft } = await savedConnection();
    const other = await otherServer();
    try {
      await expect(service.save({ draft: { ...draft, endpoint: other.url } })).rejects.toThrow(
        /The endpoint changed since the secret was entered/,
      );
      // Nothing was written: the saved connection still points where its secret belongs.
      expect(await service.test({ id: draft.id, bucket })).toMatchObject({ ok: true });
      await expect(
        service.save({
          draft: { ...draft, endpoint: other.url },
          secret: { accessKeyId: 'AKIDNEWSERVER0001' },
        }),
      ).rejects.toThrow(/The endpoint changed/);

      // With both keys typed again it saves, and the old session token does not come along.
      await service.save({
        draft: { ...draft, endpoint: other.url },
        secret: { accessKeyId: 'AKIDNEWSERVER0001', secretAccessKey: 'new-secret' },
      });
      await service.test({ id: draft.id, bucket });
      expect(other.requests.length).toBeGreaterThan(0);
      expect(sentTheKey(other)).toBe(false);
      const headers = JSON.stringify(other.requests.map((request) => request.headers));
      expect(headers).toContain('AKIDNEWSERVER0001');
      expect(headers).not.toContain('old-session-token');
    } finally {
      await other.close();
    }
  });

  it('still follows edits that keep the endpoint', async () => {
    const { service, draft } = await savedConnection();
    const renamed = { ...draft, name: 'renamed', endpoint: `${s3.endpoint}/` };
    expect(await service.test({ draft: renamed, bucket })).toMatchObject({ ok: true });
    await service.save({ draft: renamed });
    expect(await service.test({ id: draft.id, bucket })).toMatchObject({ ok: true });
  });
});
