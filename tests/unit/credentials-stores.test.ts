import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Connections } from '../../main/credentials/connections';
import { ProfileNameTakenError, ProfileStore } from '../../main/credentials/profiles';
import {
  IncompleteSecretError,
  SecretStore,
  SecretUnreadableError,
  WeakEncryptionError,
} from '../../main/credentials/secretStore';
import { fakeCipher } from '../support/fakeCipher';
import { tempDir } from '../support/files';

const SECRET = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
};

function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

/** The secret in any form a careless store might write it. */
function leaks(text: string): string[] {
  return Object.values(SECRET).flatMap((value) =>
    [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('hex')].filter(
      (form) => text.includes(form),
    ),
  );
}

describe('SecretStore', () => {
  it('writes no plaintext secret, in a file only the owner can read', async () => {
    const dir = tempDir('secrets');
    const cipher = fakeCipher();
    const store = new SecretStore(dir, cipher);
    await store.set('p1', SECRET);
    const text = readFileSync(store.file, 'utf8');
    expect(leaks(text)).toEqual([]);
    expect(text).toContain('"storage": "safeStorage"');
    expect(modeOf(store.file)).toBe(0o600);
    expect(await store.get('p1')).toEqual(SECRET);
    // Another "machine" (another key) cannot read it back.
    const elsewhere = new SecretStore(dir, fakeCipher());
    await expect(elsewhere.get('p1')).rejects.toBeInstanceOf(SecretUnreadableError);
  });

  it('refuses to store without encryption unless the user agreed', async () => {
    const dir = tempDir('secrets');
    const store = new SecretStore(dir, fakeCipher({ available: false }));
    expect(store.encryptionStrength()).toMatchObject({ strong: false, reason: 'unavailable' });
    const refusal = await store.set('p1', SECRET).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(WeakEncryptionError);
    expect((refusal as Error).message).toContain('stored unencrypted');
    expect(existsSync(store.file)).toBe(false);

    await store.set('p1', SECRET, { allowWeakEncryption: true });
    expect(readFileSync(store.file, 'utf8')).toContain('"storage": "plain"');
    expect(modeOf(store.file)).toBe(0o600);
    expect(await store.get('p1')).toEqual(SECRET);
  });

  it('treats the Linux basic_text backend as no real encryption', async () => {
    const store = new SecretStore(tempDir('secrets'), fakeCipher({ backend: 'basic_text' }));
    const refusal = await store.set('p1', SECRET).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ reason: 'basic_text' });
    expect((refusal as Error).message).toContain('No system keyring');
    await store.set('p1', SECRET, { allowWeakEncryption: true });
    expect(leaks(readFileSync(store.file, 'utf8'))).toEqual([]);
  });

  it('changes only the fields that were sent', async () => {
    const store = new SecretStore(tempDir('secrets'), fakeCipher());
    await expect(store.update('p1', { secretAccessKey: 'only-secret' })).rejects.toBeInstanceOf(
      IncompleteSecretError,
    );
    await store.update('p1', SECRET);
    await store.update('p1', { secretAccessKey: 'rotated-secret' });
    expect(await store.get('p1')).toEqual({ ...SECRET, secretAccessKey: 'rotated-secret' });
    await store.update('p1', { sessionToken: null });
    expect(await store.get('p1')).toEqual({
      accessKeyId: SECRET.accessKeyId,
      secretAccessKey: 'rotated-secret',
    });
    expect((await store.hints()).get('p1')).toEqual({ accessKeyIdHint: 'AKIA…MPLE' });
    await store.remove('p1');
    expect(await store.has('p1')).toBe(false);
  });

  it('replaces a secret that can no longer be decrypted when both keys are entered again', async () => {
    const dir = tempDir('secrets');
    await new SecretStore(dir, fakeCipher()).set('p1', SECRET);
    const store = new SecretStore(dir, fakeCipher());
    await expect(store.update('p1', { secretAccessKey: 'new' })).rejects.toBeInstanceOf(
      SecretUnreadableError,
    );
    await store.update('p1', { accessKeyId: 'AKIANEWKEYEXAMPLE001', secretAccessKey: 'new' });
    expect(await store.get('p1')).toEqual({
      accessKeyId: 'AKIANEWKEYEXAMPLE001',
      secretAccessKey: 'new',
    });
  });
});

describe('ProfileStore', () => {
  it('saves, lists, renames and removes profiles in a private file', async () => {
    const store = new ProfileStore(tempDir('profiles'));
    const created = await store.save({
      name: 'MinIO at home',
      kind: 'access-key',
      endpoint: 'http://nas.local:9000/',
      region: 'us-east-1',
      forcePathStyle: true,
      checksumMode: 'WHEN_REQUIRED',
      defaultBucket: 'photos',
      cloudFrontDomains: { photos: 'D111111ABCDEF8.cloudfront.net' },
    });
    expect(created.endpoint).toBe('http://nas.local:9000');
    expect(created.cloudFrontDomains).toEqual({ photos: 'd111111abcdef8.cloudfront.net' });
    expect(modeOf(store.file)).toBe(0o600);
    const renamed = await store.save({ ...created, name: 'NAS' });
    expect(renamed.id).toBe(created.id);
    expect((await store.list()).map((profile) => profile.name)).toEqual(['NAS']);
    expect(await store.remove(created.id)).toBe(true);
    expect(await store.list()).toEqual([]);
  });

  it('refuses duplicate names, keys in URLs and incomplete AWS profiles', async () => {
    const store = new ProfileStore(tempDir('profiles'));
    const base = { kind: 'environment' as const, checksumMode: 'WHEN_SUPPORTED' as const };
    await store.save({ name: 'Work', ...base });
    await expect(store.save({ name: 'work', ...base })).rejects.toBeInstanceOf(
      ProfileNameTakenError,
    );
    await expect(
      store.save({ name: 'url', ...base, endpoint: 'https://AKIA:secret@s3.example.com' }),
    ).rejects.toThrow(/must not contain a user name or password/);
    await expect(store.save({ name: 'aws', ...base, kind: 'aws-profile' })).rejects.toThrow(
      /needs the AWS profile name/,
    );
  });

  it('keeps detected regions until the store behind the profile changes', async () => {
    const store = new ProfileStore(tempDir('profiles'));
    const profile = await store.save({
      name: 'r2',
      kind: 'environment',
      endpoint: 'https://one.example.com',
      checksumMode: 'WHEN_SUPPORTED',
    });
    await store.rememberBucketRegion(profile.id, 'photos', 'auto');
    // A draft never carries the cache: it is the store's, not the user's, to fill.
    const { bucketRegions: _cached, ...edited } = (await store.get(profile.id))!;
    expect(_cached).toEqual({ photos: 'auto' });
    const renamed = await store.save({ ...edited, name: 'R2' });
    expect(renamed.bucketRegions).toEqual({ photos: 'auto' });
    const moved = await store.save({ ...edited, endpoint: 'https://two.example.com' });
    expect(moved.bucketRegions).toBeUndefined();
  });

  it('refuses to overwrite a profiles file it cannot read', async () => {
    const store = new ProfileStore(tempDir('profiles'));
    writeFileSync(store.file, '{"version": 1, "profiles": [{"name": 3}]}');
    await expect(
      store.save({ name: 'x', kind: 'environment', checksumMode: 'WHEN_SUPPORTED' }),
    ).rejects.toThrow(/is not a valid profiles file/);
    expect(readFileSync(store.file, 'utf8')).toContain('"name": 3');
  });
});

describe('Connections (what the app calls)', () => {
  const draft = {
    name: 'Wasabi',
    kind: 'access-key' as const,
    endpoint: 'https://s3.eu-central-1.wasabisys.com',
    region: 'eu-central-1',
    checksumMode: 'WHEN_SUPPORTED' as const,
  };

  it('answers with public profiles only: no secret in anything it returns', async () => {
    const dataDir = tempDir('connections');
    const connections = new Connections(dataDir, fakeCipher());
    const saved = await connections.save(draft, SECRET);
    expect(saved).toMatchObject({ hasSecret: true, accessKeyIdHint: 'AKIA…MPLE' });
    const everything = JSON.stringify([saved, await connections.list()]);
    expect(leaks(everything)).toEqual([]);
    for (const file of ['profiles.json', 'secrets.json']) {
      expect(leaks(readFileSync(path.join(dataDir, file), 'utf8'))).toEqual([]);
    }
    const settings = await connections.settingsFor(saved.id);
    expect(settings.credentials).toEqual(SECRET);
  });

  it('asks before storing weakly, and writes nothing until the user agrees', async () => {
    const dataDir = tempDir('connections');
    const connections = new Connections(dataDir, fakeCipher({ backend: 'basic_text' }));
    await expect(connections.save(draft, SECRET)).rejects.toBeInstanceOf(WeakEncryptionError);
    expect(await connections.list()).toEqual([]);
    const saved = await connections.save(draft, SECRET, { allowWeakEncryption: true });
    expect(saved.hasSecret).toBe(true);
  });

  it('keeps the stored secret when the editor sends none, and drops it with the kind', async () => {
    const connections = new Connections(tempDir('connections'), fakeCipher());
    const saved = await connections.save(draft, SECRET);
    await expect(connections.save({ ...draft, name: 'No key' })).rejects.toBeInstanceOf(
      IncompleteSecretError,
    );
    const edited = await connections.save({ ...draft, id: saved.id, region: 'eu-west-1' });
    expect(edited).toMatchObject({ region: 'eu-west-1', hasSecret: true });
    expect((await connections.settingsFor(saved.id)).credentials).toEqual(SECRET);
    const switched = await connections.save({ ...draft, id: saved.id, kind: 'environment' });
    expect(switched.hasSecret).toBe(false);
    expect(await connections.secrets.has(saved.id)).toBe(false);
  });

  it('answers a test of an access key connection without a key in words', async () => {
    const connections = new Connections(tempDir('connections'), fakeCipher());
    const result = await connections.test({ draft: { ...draft, name: 'draft' } });
    expect(result).toEqual({
      ok: false,
      problem: 'no-credentials',
      message:
        'No access key is stored for connection "draft": edit it and enter the access key ID and secret.',
    });
    const partial = await connections.test({
      draft: { ...draft, name: 'draft' },
      secret: { secretAccessKey: 'only' },
    });
    expect(partial.message).toContain('needs both the access key ID and the secret');
    expect(await connections.list()).toEqual([]);
  });
});
