import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connections } from '../../main/credentials/connections';
import type { ProfileDraft } from '../../main/credentials/profiles';
import { endpointTransport } from '../../main/s3/endpointSecurity';
import { ConnectionService } from '../../main/service/connectionService';
import { SettingsStore } from '../../main/service/settings';
import { fakeCipher } from '../support/fakeCipher';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, localS3, type LocalS3 } from '../support/s3env';

const TLS_DIR = path.join(import.meta.dirname, '..', 'support', 'tls');
const CA = readFileSync(path.join(TLS_DIR, 'test-only-ca.pem'), 'utf8');

let s3: LocalS3;
let bucket: string;
/** A TLS front with a self-signed certificate before the local S3 server, as MinIO may be. */
let front: tls.Server;
let frontUrl: string;

beforeAll(async () => {
  s3 = localS3();
  bucket = await freshBucket(checkingClient(s3), 'transport');
  const target = new URL(s3.endpoint);
  front = tls.createServer(
    { key: readFileSync(path.join(TLS_DIR, 'test-only-key.pem')), cert: CA },
    (socket) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  frontUrl = `https://127.0.0.1:${(front.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => front?.close(resolve));
});

async function service(settings: Record<string, unknown> = {}) {
  const dataDir = tempDir('transport');
  const store = await SettingsStore.open(dataDir);
  await store.update(settings);
  return new ConnectionService(new Connections(dataDir, fakeCipher()), store, 8);
}

const draft = (fields: Partial<ProfileDraft>): ProfileDraft => ({
  name: 'store',
  kind: 'access-key',
  region: s3.region,
  forcePathStyle: true,
  checksumMode: 'WHEN_REQUIRED',
  ...fields,
});

describe('#13 item 7: plain http only where it cannot be read on the way', () => {
  it('tells loopback, private and public addresses apart', () => {
    expect(endpointTransport('https://s3.example.com')).toBe('https');
    expect(endpointTransport('http://127.0.0.1:9000')).toBe('loopback-http');
    expect(endpointTransport('http://[::1]:9000')).toBe('loopback-http');
    expect(endpointTransport('http://localhost:9000')).toBe('loopback-http');
    expect(endpointTransport('http://192.168.1.20:9000')).toBe('private-http');
    expect(endpointTransport('http://10.1.2.3')).toBe('private-http');
    expect(endpointTransport('http://172.20.0.5')).toBe('private-http');
    expect(endpointTransport('http://[fd00::2]:9000')).toBe('private-http');
    expect(endpointTransport('http://nas.local:9000')).toBe('private-http');
    expect(endpointTransport('http://172.32.0.5')).toBe('public-http');
    expect(endpointTransport('http://minio.example.com')).toBe('public-http');
    expect(endpointTransport('http://93.184.216.34')).toBe('public-http');
  });

  it('refuses http across the internet, and to a private address until acknowledged', async () => {
    const connections = await service();
    const secret = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
    const publicHttp = await connections.test({
      draft: draft({ endpoint: 'http://93.184.216.34:9000' }),
      secret,
    });
    expect(publicHttp).toMatchObject({ ok: false, problem: 'tls' });
    expect(publicHttp.message).toContain('plain http over the internet');

    const privateHttp = draft({ endpoint: 'http://192.168.77.1:9000' });
    const refused = await connections.test({ draft: privateHttp, secret });
    expect(refused).toMatchObject({ ok: false, problem: 'tls' });
    expect(refused.message).toContain('Allow unencrypted http');
    // Saved with the acknowledgement, it is kept, shown to the window, and lets the client be made.
    const saved = await connections.save({
      draft: { ...privateHttp, allowUnencrypted: true },
      secret,
    });
    const profile = (saved as { saved: { id: string; allowUnencrypted?: boolean } }).saved;
    expect(profile.allowUnencrypted).toBe(true);
    await expect(connections.clientFor(profile.id)).resolves.toBeDefined();
  });

  it('applies to AWS_ENDPOINT_URL too, acknowledged in the settings', async () => {
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = 'http://10.9.8.7:9000';
    try {
      await expect((await service()).clientFor(undefined)).rejects.toThrow(
        'anyone on that network can read your keys and files',
      );
      const acknowledged = await service({ allowUnencryptedEnvironmentEndpoint: true });
      await expect(acknowledged.clientFor(undefined)).resolves.toBeDefined();
      process.env.AWS_ENDPOINT_URL = 'http://93.184.216.34';
      const publicHttp = await service({ allowUnencryptedEnvironmentEndpoint: true });
      await expect(publicHttp.clientFor(undefined)).rejects.toThrow('over the internet');
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = previous;
    }
  });

  it('trusts an extra CA certificate, so a self-signed store works over https', async () => {
    const connections = await service();
    const secret = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
    const without = await connections.test({
      draft: draft({ endpoint: frontUrl }),
      secret,
      bucket,
    });
    expect(without).toMatchObject({ ok: false, problem: 'tls' });
    const withCa = await connections.test({
      draft: draft({ endpoint: frontUrl, caCertificate: CA }),
      secret,
      bucket,
    });
    expect(withCa).toMatchObject({ ok: true });
  });
});
