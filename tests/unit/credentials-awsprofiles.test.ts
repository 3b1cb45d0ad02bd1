import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAwsProfile, listAwsProfiles } from '../../main/credentials/awsConfigFiles';
import { CredentialsError } from '../../main/credentials/problems';
import { type ConnectionProfile, ProfileStore } from '../../main/credentials/profiles';
import { connectionSettingsFor, findNamedProfile } from '../../main/credentials/resolve';
import { testConnection } from '../../main/credentials/testConnection';
import { type FakeServer, sendXml, startFakeServer } from '../support/fakeHttp';
import { tempDir } from '../support/files';

const ENV = [
  'HOME',
  'USERPROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ENDPOINT_URL_SSO',
  'AWS_ENDPOINT_URL_SSO_OIDC',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];
const saved = new Map<string, string | undefined>();
const servers: FakeServer[] = [];

beforeEach(() => {
  for (const name of ENV) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
});

afterEach(async () => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Temporary AWS files and a HOME of their own (the SSO token cache lives under HOME). */
function awsFiles(config: string, credentials = ''): string {
  const home = tempDir('aws-home');
  writeFileSync(path.join(home, 'config'), config);
  writeFileSync(path.join(home, 'credentials'), credentials);
  process.env.HOME = home;
  process.env.AWS_CONFIG_FILE = path.join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, 'credentials');
  return home;
}

function awsProfile(awsProfileName: string): ConnectionProfile {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    name: `app ${awsProfileName}`,
    kind: 'aws-profile',
    awsProfileName,
    checksumMode: 'WHEN_SUPPORTED',
  };
}

async function resolveCredentials(awsProfileName: string) {
  const settings = await connectionSettingsFor(awsProfile(awsProfileName));
  const provider = settings.credentials;
  if (typeof provider !== 'function') throw new Error('an AWS profile must give a provider');
  return { settings, credentials: await provider() };
}

async function credentialFailure(awsProfileName: string): Promise<CredentialsError> {
  const failure = await resolveCredentials(awsProfileName).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(CredentialsError);
  return failure as CredentialsError;
}

function writeSsoToken(home: string, cacheKey: string, token: Record<string, unknown>): void {
  const dir = path.join(home, '.aws', 'sso', 'cache');
  mkdirSync(dir, { recursive: true });
  const name = createHash('sha1').update(cacheKey).digest('hex');
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(token));
}

async function fake(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const server = await startFakeServer(handler);
  servers.push(server);
  return server;
}

describe('static keys', () => {
  it('come from the credentials file, with region and S3 endpoint from the config file', async () => {
    awsFiles(
      '[profile photos]\nregion = eu-west-2\nservices = store\n\n[services store]\ns3 =\n  endpoint_url = http://store.example:9000\n',
      '[photos]\naws_access_key_id = AKIASTATICEXAMPLE001\naws_secret_access_key = static-secret\naws_session_token = static-token\n',
    );
    const { settings, credentials } = await resolveCredentials('photos');
    expect(credentials).toMatchObject({
      accessKeyId: 'AKIASTATICEXAMPLE001',
      secretAccessKey: 'static-secret',
      sessionToken: 'static-token',
    });
    expect(settings.region).toBe('eu-west-2');
    expect(settings.endpoint).toBe('http://store.example:9000');
  });

  it('name the files when the profile is in none of them', async () => {
    const home = awsFiles('[profile other]\nregion = eu-west-2\n');
    const error = await connectionSettingsFor(awsProfile('missing')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).problem).toBe('no-credentials');
    expect((error as Error).message).toBe(
      `AWS profile "missing" is in neither ${home}/config nor ${home}/credentials: check its name (or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE).`,
    );
  });
});

describe('assume-role with source_profile', () => {
  const STS_ANSWER = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/uploader/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>
    <Credentials><AccessKeyId>ASIAFROMFAKESTS00001</AccessKeyId><SecretAccessKey>sts-secret</SecretAccessKey><SessionToken>sts-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
    </AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`;
  const CONFIG =
    '[profile uploader]\nrole_arn = arn:aws:iam::123456789012:role/uploader\nsource_profile = base\nregion = eu-west-1\n';
  const CREDENTIALS =
    '[base]\naws_access_key_id = AKIASOURCEEXAMPLE001\naws_secret_access_key = source-secret\n';

  it('signs AssumeRole with the source profile and returns the role’s credentials', async () => {
    // The SDK honours AWS_ENDPOINT_URL_STS here; a `services` section is read only for the
    // profile in AWS_PROFILE, not for the one passed to fromIni.
    const sts = await fake((_request, response) => sendXml(response, 200, STS_ANSWER));
    process.env.AWS_ENDPOINT_URL_STS = sts.url;
    awsFiles(CONFIG, CREDENTIALS);
    const { credentials } = await resolveCredentials('uploader');
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAFROMFAKESTS00001',
      secretAccessKey: 'sts-secret',
      sessionToken: 'sts-token',
    });
    expect(sts.requests).toHaveLength(1);
    const [request] = sts.requests;
    expect(request!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIASOURCEEXAMPLE001\/\d{8}\/eu-west-1\/sts\/aws4_request/,
    );
    const form = new URLSearchParams(request!.body.toString());
    expect(form.get('Action')).toBe('AssumeRole');
    expect(form.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/uploader');
  });

  it('passes on STS’s refusal with the profile named', async () => {
    const sts = await fake((_request, response) =>
      sendXml(
        response,
        403,
        '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/base is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>fake</RequestId></ErrorResponse>',
      ),
    );
    process.env.AWS_ENDPOINT_URL_STS = sts.url;
    awsFiles(CONFIG, CREDENTIALS);
    const error = await credentialFailure('uploader');
    expect(error.problem).toBe('no-credentials');
    expect(error.message).toBe(
      'Could not assume the role of AWS profile "uploader": User: arn:aws:iam::123456789012:user/base is not authorized to perform: sts:AssumeRole',
    );
  });
});

describe('credential_process', () => {
  it('runs the command and uses the keys it prints', async () => {
    const home = awsFiles('');
    const script = path.join(home, 'print-credentials.mjs');
    writeFileSync(
      script,
      `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROCESSEXAMPLE01', SecretAccessKey: 'process-secret', SessionToken: 'process-token', Expiration: '2099-01-01T00:00:00Z' }));\n`,
    );
    writeFileSync(
      path.join(home, 'config'),
      `[profile tool]\ncredential_process = "${process.execPath}" "${script}"\n`,
    );
    const { credentials } = await resolveCredentials('tool');
    expect(credentials).toMatchObject({
      accessKeyId: 'AKIAPROCESSEXAMPLE01',
      secretAccessKey: 'process-secret',
      sessionToken: 'process-token',
    });
  });

  it('says the command failed, naming the profile', async () => {
    const home = awsFiles('');
    const script = path.join(home, 'fail.mjs');
    writeFileSync(script, `process.stderr.write('vault is locked\\n'); process.exit(3);\n`);
    writeFileSync(
      path.join(home, 'config'),
      `[profile broken]\ncredential_process = "${process.execPath}" "${script}"\n`,
    );
    const error = await credentialFailure('broken');
    expect(error.problem).toBe('no-credentials');
    expect(error.message).toMatch(
      /^Could not run the credential_process of AWS profile "broken": Command failed: .*fail\.mjs.* vault is locked$/,
    );
  });
});

describe('SSO', () => {
  const SESSION_CONFIG = (session: string) =>
    `[profile work]\nsso_session = ${session}\nsso_account_id = 123456789012\nsso_role_name = Uploader\nregion = eu-west-1\n\n[sso-session ${session}]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n`;
  const LOGIN_MESSAGE =
    'Your AWS SSO session for profile work has expired or was never started: run `aws sso login --profile work`, then test again.';

  it('asks for aws sso login when no token was ever cached', async () => {
    awsFiles(SESSION_CONFIG('never-started'));
    const error = await credentialFailure('work');
    expect(error.problem).toBe('sso-login-needed');
    expect(error.message).toBe(LOGIN_MESSAGE);
  });

  it('asks for aws sso login when the cached token expired and cannot be refreshed', async () => {
    // Each session name gets its own: the SDK waits 30 s between refresh attempts of a session.
    const oidc = await fake((_request, response) => {
      response.writeHead(400, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'InvalidGrantException',
      });
      response.end(JSON.stringify({ error: 'invalid_grant' }));
    });
    process.env.AWS_ENDPOINT_URL_SSO_OIDC = oidc.url;
    const home = awsFiles(SESSION_CONFIG('expired-session'));
    writeSsoToken(home, 'expired-session', {
      accessToken: 'old-access-token',
      expiresAt: '2020-01-01T00:00:00Z',
      clientId: 'client',
      clientSecret: 'client-secret',
      refreshToken: 'refresh-token',
      region: 'us-east-1',
      startUrl: 'https://corp.awsapps.com/start',
    });
    const settings = await connectionSettingsFor(awsProfile('work'));
    const result = await testConnection(settings, {
      source: { kind: 'aws-profile', awsProfileName: 'work' },
    });
    expect(result).toEqual({ ok: false, problem: 'sso-login-needed', message: LOGIN_MESSAGE });
    expect(oidc.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /token',
    ]);
  });

  it('asks for aws sso login for a legacy profile whose token expired', async () => {
    const home = awsFiles(
      '[profile work]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Uploader\n',
    );
    writeSsoToken(home, 'https://legacy.awsapps.com/start', {
      accessToken: 'old',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    const error = await credentialFailure('work');
    expect(error.problem).toBe('sso-login-needed');
    expect(error.message).toBe(LOGIN_MESSAGE);
  });

  it('names the SSO profile a role is assumed from', async () => {
    awsFiles(
      `${SESSION_CONFIG('chained')}\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = work\n`,
    );
    const error = await credentialFailure('admin');
    expect(error.problem).toBe('sso-login-needed');
    expect(error.message).toBe(LOGIN_MESSAGE);
  });

  it('asks for aws sso login when the SSO portal no longer accepts the token', async () => {
    const portal = await fake((_request, response) => {
      response.writeHead(401, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'UnauthorizedException',
      });
      response.end(JSON.stringify({ message: 'Session token not found or invalid' }));
    });
    process.env.AWS_ENDPOINT_URL_SSO = portal.url;
    const home = awsFiles(SESSION_CONFIG('revoked-session'));
    writeSsoToken(home, 'revoked-session', {
      accessToken: 'revoked-access-token',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const error = await credentialFailure('work');
    expect(error.problem).toBe('sso-login-needed');
    expect(error.message).toBe(LOGIN_MESSAGE);
    expect(portal.requests).toHaveLength(1);
  });

  it('trades a valid cached token for role credentials', async () => {
    const portal = await fake((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          roleCredentials: {
            accessKeyId: 'ASIAFROMFAKESSO00001',
            secretAccessKey: 'sso-secret',
            sessionToken: 'sso-token',
            expiration: Date.parse('2099-01-01T00:00:00Z'),
          },
        }),
      );
    });
    process.env.AWS_ENDPOINT_URL_SSO = portal.url;
    const home = awsFiles(SESSION_CONFIG('valid-session'));
    writeSsoToken(home, 'valid-session', {
      accessToken: 'current-access-token',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const { credentials } = await resolveCredentials('work');
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAFROMFAKESSO00001',
      secretAccessKey: 'sso-secret',
    });
    const [request] = portal.requests;
    expect(request!.url).toBe('/federation/credentials?account_id=123456789012&role_name=Uploader');
    expect(request!.headers['x-amz-sso_bearer_token']).toBe('current-access-token');
  });
});

describe('listing AWS profiles', () => {
  it('tells the kinds apart and never returns a secret', async () => {
    awsFiles(
      '[default]\nregion = us-east-1\n\n[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n\n[profile tool]\ncredential_process = /bin/true\n\n[profile work]\nsso_session = s\n\n[sso-session s]\nsso_start_url = https://x\nsso_region = us-east-1\n\n[not-a-profile]\nregion = eu-west-1\n',
      '[default]\naws_access_key_id = AKIADEFAULTEXAMPLE01\naws_secret_access_key = default-secret\naws_session_token = default-token\n',
    );
    const profiles = await listAwsProfiles();
    expect(profiles.map(({ name, kind }) => [name, kind])).toEqual([
      ['default', 'static'],
      ['role', 'assume-role'],
      ['tool', 'process'],
      ['work', 'sso'],
    ]);
    expect(JSON.stringify(profiles)).not.toMatch(/default-secret|default-token/);
    expect(await findAwsProfile('role')).toMatchObject({ sourceProfile: 'default' });
  });

  it('resolves --profile to an app connection first, then to an AWS profile', async () => {
    awsFiles('[profile shared]\nregion = eu-west-1\n[profile aws-only]\nregion = eu-west-1\n');
    const dataDir = tempDir('named');
    await new ProfileStore(dataDir).save({
      name: 'Shared',
      kind: 'environment',
      checksumMode: 'WHEN_REQUIRED',
    });
    expect(await findNamedProfile('shared', dataDir)).toMatchObject({
      kind: 'app',
      profile: { name: 'Shared' },
    });
    expect(await findNamedProfile('aws-only', dataDir)).toEqual({
      kind: 'aws',
      awsProfileName: 'aws-only',
    });
    expect(await findNamedProfile('nowhere', dataDir)).toBeUndefined();
  });
});
