import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { probeChecksumMode } from '../../main/credentials/checksumProbe';
import { Connections } from '../../main/credentials/connections';
import type { ProfileDraft } from '../../main/credentials/profiles';
import { testConnection } from '../../main/credentials/testConnection';
import { createS3Client } from '../../main/s3/client';
import { runCli, jsonLines } from '../support/cli';
import { fakeCipher } from '../support/fakeCipher';
import { closedPort, type FakeServer, sendXml, startFakeServer } from '../support/fakeHttp';
import { tempDir } from '../support/files';
import {
  allKeys,
  checkingClient,
  freshBucket,
  incompleteUploads,
  localS3,
  type LocalS3,
} from '../support/s3env';

let s3: LocalS3;
let admin: S3Client;
let bucket: string;

beforeAll(async () => {
  s3 = localS3();
  admin = checkingClient(s3);
  bucket = await freshBucket(admin, 'creds');
});

function settings(overrides: { accessKeyId?: string; secret?: string; endpoint?: string } = {}) {
  return {
    endpoint: overrides.endpoint ?? s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    checksumMode: 'WHEN_REQUIRED' as const,
    credentials: {
      accessKeyId: overrides.accessKeyId ?? s3.accessKeyId,
      secretAccessKey: overrides.secret ?? s3.secretAccessKey,
    },
  };
}

/** Swift's own API: lets the no-access user into one container, which S3 cannot express. */
async function grantNoAccessUser(container: string): Promise<void> {
  const auth = await fetch(`${s3.endpoint}/auth/v1.0`, {
    headers: { 'X-Auth-User': s3.accessKeyId, 'X-Auth-Key': s3.secretAccessKey },
  });
  const storage = auth.headers.get('x-storage-url')!;
  const response = await fetch(`${storage}/${container}`, {
    method: 'POST',
    headers: {
      'X-Auth-Token': auth.headers.get('x-auth-token')!,
      'X-Container-Read': s3.readOnlyAccessKeyId,
      'X-Container-Write': s3.readOnlyAccessKeyId,
    },
  });
  expect(response.status).toBe(204);
}

describe('testConnection against the local server', () => {
  it('connects with the right keys and lists the buckets', async () => {
    const result = await testConnection(settings());
    expect(result).toMatchObject({ ok: true, region: 'us-east-1' });
    if (!result.ok) return;
    expect(result.buckets).toContain(bucket);
    expect(result.listBucketsDenied).toBeUndefined();
    expect(result.message).toMatch(/^Connected: \d+ buckets?\.$/);
    const withBucket = await testConnection(settings(), { bucket });
    expect(withBucket).toMatchObject({ ok: true, region: 'us-east-1' });
    expect(withBucket.message).toBe(`Connected: bucket "${bucket}" is reachable.`);
  });

  it('explains a wrong secret without pretending to know which half is wrong', async () => {
    const result = await testConnection(settings({ secret: 'not-the-secret' }));
    expect(result).toMatchObject({ ok: false, problem: 'bad-secret' });
    expect(result.message).toContain(
      `did not accept the access key ID ${s3.accessKeyId.slice(0, 4)}…`,
    );
    expect(result.message).toContain('check both');
    expect(result.message).not.toContain('not-the-secret');
  });

  it('explains an unknown key the same way, since Swift answers it with SignatureDoesNotMatch', async () => {
    // AWS and MinIO say InvalidAccessKeyId (tested against the fake S3); Swift cannot be told apart.
    const result = await testConnection(settings({ accessKeyId: 'test:nobody' }));
    expect(result).toMatchObject({ ok: false, problem: 'bad-secret' });
    expect(result.message).toContain(
      'answers the same way for an unknown key ID and for a wrong secret',
    );
  });

  it('names the address when nothing listens on the port', async () => {
    const port = await closedPort();
    const result = await testConnection(settings({ endpoint: `http://127.0.0.1:${port}` }));
    expect(result).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(result.message).toBe(
      `Nothing answered at 127.0.0.1:${port} (connection refused): check the endpoint URL and its port, and that the server is running.`,
    );
  });

  it('explains a server name that does not resolve', async () => {
    const result = await testConnection(settings({ endpoint: 'https://s3.bucketdrop.invalid' }));
    expect(result).toMatchObject({ ok: false, problem: 'dns' });
    expect(result.message).toContain('s3.bucketdrop.invalid could not be found (DNS)');
  });

  it('explains https:// pointed at a plain HTTP server', async () => {
    const result = await testConnection(
      settings({ endpoint: s3.endpoint.replace('http://', 'https://') }),
    );
    expect(result).toMatchObject({ ok: false, problem: 'tls' });
    expect(result.message).toContain('did not answer with TLS');
    expect(result.message).toContain('http://');
  });

  it('lets a user who may not list buckets name one, and tells allowed from denied', async () => {
    const readOnly = settings({
      accessKeyId: s3.readOnlyAccessKeyId,
      secret: s3.readOnlySecretAccessKey,
    });
    const noBucket = await testConnection(readOnly);
    expect(noBucket).toMatchObject({ ok: true, listBucketsDenied: true });
    expect(noBucket.message).toContain('type the name of the bucket');
    expect((noBucket as { buckets?: string[] }).buckets).toBeUndefined();

    const denied = await testConnection(readOnly, { bucket });
    expect(denied).toMatchObject({ ok: false, problem: 'access-denied' });
    expect(denied.message).toContain(`may not use bucket "${bucket}"`);

    const shared = await freshBucket(admin, 'shared');
    await grantNoAccessUser(shared);
    const allowed = await testConnection(readOnly, { bucket: shared });
    expect(allowed).toMatchObject({ ok: true, listBucketsDenied: true });
    expect(allowed.message).toContain(`bucket "${shared}" is reachable`);
  });

  it('reports a bucket that does not exist', async () => {
    const result = await testConnection(settings(), { bucket: `${bucket}-missing` });
    expect(result).toMatchObject({ ok: false, problem: 'no-such-bucket' });
  });

  it('finds the region the server wants and remembers it for the bucket', async () => {
    const result = await testConnection({ ...settings(), region: 'eu-west-3' }, { bucket });
    expect(result).toMatchObject({ ok: true, region: 'us-east-1', detectedRegion: 'us-east-1' });
    expect(result.message).toContain('It is in region us-east-1, not eu-west-3.');

    const connections = new Connections(tempDir('connections'), fakeCipher());
    const saved = await connections.save(
      {
        name: 'local',
        kind: 'access-key',
        endpoint: s3.endpoint,
        region: 'eu-west-3',
        forcePathStyle: true,
        checksumMode: 'WHEN_REQUIRED',
      },
      { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    );
    expect(await connections.test({ id: saved.id }, { bucket })).toMatchObject({ ok: true });
    expect((await connections.get(saved.id))?.bucketRegions).toEqual({ [bucket]: 'us-east-1' });
  });

  describe('with this computer’s clock 20 minutes fast', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('says how far off the clock is', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 20 * 60_000);
      const result = await testConnection(settings());
      expect(result).toMatchObject({ ok: false, problem: 'clock-skew' });
      expect(result.message).toMatch(/clock is (19|20|21) minutes ahead of the server’s/);
    });
  });
});

describe('checksum probe against the local server', () => {
  it('picks WHEN_REQUIRED: Swift ignores CRC32 but checks Content-MD5', async () => {
    const result = await probeChecksumMode(settings(), bucket);
    expect(result).toMatchObject({ mode: 'WHEN_REQUIRED', verified: true });
    expect(result.reason).toContain('ignores CRC32');
    expect(result.reason).toContain('checks Content-MD5');
    expect(await allKeys(admin, bucket, '.bucketdrop-probe/')).toEqual([]);
    expect(await incompleteUploads(admin, bucket)).toEqual([]);
  });
});

describe('AWS profiles against the local server', () => {
  let sts: FakeServer;
  const saved: Record<string, string | undefined> = {};
  const ENV = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL_STS'];

  beforeAll(async () => {
    // A fake STS that hands out the local server's keys: the whole chain is then checkable.
    sts = await startFakeServer((_request, response) =>
      sendXml(
        response,
        200,
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
        <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/uploader/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>
        <Credentials><AccessKeyId>${s3.accessKeyId}</AccessKeyId><SecretAccessKey>${s3.secretAccessKey}</SecretAccessKey><SessionToken>session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
        </AssumeRoleResult></AssumeRoleResponse>`,
      ),
    );
    for (const name of ENV) saved[name] = process.env[name];
    const dir = tempDir('aws-files');
    writeFileSync(
      path.join(dir, 'config'),
      `[profile uploader]\nrole_arn = arn:aws:iam::123456789012:role/uploader\nsource_profile = base\nregion = ${s3.region}\n`,
    );
    writeFileSync(
      path.join(dir, 'credentials'),
      '[base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = base-secret\n',
    );
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    process.env.AWS_ENDPOINT_URL_STS = sts.url;
  });

  afterAll(async () => {
    for (const name of ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await sts.close();
  });

  it('connects through an assumed role', async () => {
    const connections = new Connections(tempDir('connections'), fakeCipher());
    const profile = await connections.save({
      name: 'role',
      kind: 'aws-profile',
      awsProfileName: 'uploader',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      checksumMode: 'WHEN_REQUIRED',
    });
    const result = await connections.test({ id: profile.id }, { bucket });
    expect(result).toMatchObject({ ok: true, region: s3.region });
    expect(sts.requests.at(-1)?.headers.authorization).toContain(
      'Credential=AKIABASEEXAMPLE00001/',
    );
    const client = createS3Client({
      ...(await connections.settingsFor(profile.id)),
      maxSockets: 2,
    });
    const listing = await client.send(new ListBucketsCommand({}));
    expect(listing.Buckets?.map((b) => b.Name)).toContain(bucket);
    client.destroy();
  });
});

describe('the command line', () => {
  const SECRET = 'cli-secret-that-must-not-show';

  function cliEnvironment() {
    const home = tempDir('cli-home');
    const dataDir = path.join(home, 'config', 'Bucketdrop');
    mkdirSync(dataDir, { recursive: true });
    const awsDir = path.join(home, 'aws');
    mkdirSync(awsDir);
    writeFileSync(
      path.join(awsDir, 'config'),
      '[default]\nregion = us-east-1\n\n[profile work]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Uploader\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    writeFileSync(
      path.join(awsDir, 'credentials'),
      `[local]\naws_access_key_id = ${s3.accessKeyId}\naws_secret_access_key = ${s3.secretAccessKey}\n`,
    );
    chmodSync(path.join(awsDir, 'credentials'), 0o600);
    return {
      dataDir,
      env: {
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        AWS_CONFIG_FILE: path.join(awsDir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
      },
    };
  }

  const draft = (name: string, extra: Partial<ProfileDraft>): ProfileDraft => ({
    name,
    kind: 'environment',
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    checksumMode: 'WHEN_REQUIRED',
    ...extra,
  });

  it('lists app connections and AWS profiles without any secret', async () => {
    const { dataDir, env } = cliEnvironment();
    const connections = new Connections(dataDir, fakeCipher());
    await connections.save(
      draft('minio', { kind: 'access-key', defaultBucket: bucket, defaultPrefix: 'trips/' }),
      { accessKeyId: 'AKIACLIEXAMPLE000001', secretAccessKey: SECRET, sessionToken: 'tok-secret' },
    );
    await connections.save(
      draft('local-profile', { kind: 'aws-profile', awsProfileName: 'local' }),
    );

    const text = await runCli(['profiles'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /minio\s+access key \(app only\)\s+http:\/\/127\.0\.0\.1:\d+\s+us-east-1\s+when-required\s+s3:\/\/t-creds-\w+\/trips\//,
    );
    expect(text.stdout).toMatch(/local-profile\s+AWS profile local/);
    expect(text.stdout).toMatch(/work\s+SSO/);
    expect(text.stdout).toMatch(/local\s+access key/);
    const json = await runCli(['profiles', '--json'], env);
    expect(json.code).toBe(0);
    const lines = jsonLines(json.stdout);
    expect(lines.find((line) => line.name === 'minio')).toMatchObject({
      type: 'app-profile',
      kind: 'access-key',
      checksum: 'when-required',
      hasSecret: true,
    });
    expect(lines.find((line) => line.name === 'work')).toMatchObject({
      type: 'aws-profile',
      kind: 'sso',
    });
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      for (const secret of [SECRET, 'tok-secret', 'AKIACLIEXAMPLE000001', s3.secretAccessKey]) {
        expect(output).not.toContain(secret);
      }
    }
    expect(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).not.toContain(SECRET);
  });

  it('uses an app connection by name, its access key only in the app', async () => {
    const { dataDir, env } = cliEnvironment();
    const connections = new Connections(dataDir, fakeCipher());
    await connections.save(draft('via-aws', { kind: 'aws-profile', awsProfileName: 'local' }));
    await connections.save(draft('keyed', { kind: 'access-key' }), {
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });

    const listed = await runCli(['ls', `s3://${bucket}/`, '--profile', 'via-aws'], env);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);

    const keyed = await runCli(['ls', `s3://${bucket}/`, '--profile', 'keyed'], env);
    expect(keyed.code).toBe(1);
    expect(keyed.stderr).toContain('keeps its access key in the desktop app');
    expect(keyed.stderr).toContain('AWS_ACCESS_KEY_ID');

    const plainAws = await runCli(
      ['ls', `s3://${bucket}/`, '--profile', 'local', '--endpoint', s3.endpoint, '--path-style'],
      env,
    );
    expect(plainAws.code).toBe(0);

    const unknown = await runCli(['ls', `s3://${bucket}/`, '--profile', 'nobody'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no profile named "nobody"');
  });

  it('tells to run aws sso login when the SSO session was never started', async () => {
    const { env } = cliEnvironment();
    const result = await runCli(
      ['ls', `s3://${bucket}/`, '--profile', 'work', '--endpoint', s3.endpoint],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Your AWS SSO session for profile work has expired or was never started: run `aws sso login --profile work`',
    );
  });
});
