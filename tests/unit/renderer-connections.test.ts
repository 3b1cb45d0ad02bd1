import { describe, expect, it, vi } from 'vitest';
import type {
  BucketdropApi,
  ConnectionProfileView,
  ConnectionsOverview,
  Result,
  Settings,
} from '../../preload/contract';
import {
  awsProfileLabel,
  buildDraft,
  changesAccess,
  cloudFrontRow,
  formFromProfile,
  isUnchanged,
  newForm,
  normalizeDomain,
  profileSummary,
  secretPatch,
  testDetails,
  testRequest,
  UNTOUCHED_SECRET,
  type ConnectionForm,
  type SecretInputs,
} from '../../renderer/src/connectionDraft';
import { createController } from '../../renderer/src/controller';
import { EMPTY_OVERALL } from '../../renderer/src/store/queue';
import { activeProfile } from '../../renderer/src/store/connections';
import { createAppStore } from '../../renderer/src/store/store';
import { unusedApi } from '../support/fakeApi';

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
const fail = (error: string): Promise<Result<never>> => Promise.resolve({ ok: false, error });

const MINIO: ConnectionProfileView = {
  id: 'c-minio',
  name: 'MinIO',
  kind: 'access-key',
  endpoint: 'http://nas.local:9000',
  region: 'us-east-1',
  forcePathStyle: true,
  checksumMode: 'WHEN_REQUIRED',
  defaultBucket: 'photos',
  defaultPrefix: 'camera/',
  cloudFrontDomains: { photos: 'cdn.example.com' },
  bucketRegions: { photos: 'us-east-1' },
  hasSecret: true,
  accessKeyIdHint: 'AKIA…7XQ2',
};

const WORK: ConnectionProfileView = {
  id: 'c-work',
  name: 'Work',
  kind: 'aws-profile',
  awsProfileName: 'work-sso',
  checksumMode: 'WHEN_SUPPORTED',
  hasSecret: false,
};

const OVERVIEW: ConnectionsOverview = {
  profiles: [MINIO, WORK],
  awsProfiles: [
    { name: 'default', kind: 'static', region: 'eu-west-1' },
    { name: 'work-sso', kind: 'sso' },
  ],
  encryption: { strong: true },
};

function secrets(patch: Partial<SecretInputs>): SecretInputs {
  return { ...UNTOUCHED_SECRET, ...patch };
}

function form(patch: Partial<ConnectionForm> = {}): ConnectionForm {
  return { ...newForm([]), name: 'Store', ...patch };
}

describe('secret patch', () => {
  it('sends only the fields the user typed, trimmed', () => {
    expect(secretPatch('access-key', UNTOUCHED_SECRET, false)).toBeUndefined();
    expect(
      secretPatch(
        'access-key',
        secrets({ accessKeyId: ' AKIA1 ', secretAccessKey: 's3cr3t\n' }),
        false,
      ),
    ).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t' });
    expect(secretPatch('access-key', secrets({ secretAccessKey: 'new' }), true)).toEqual({
      secretAccessKey: 'new',
    });
  });

  it('keeps stored keys when their fields are emptied, but removes an emptied session token', () => {
    const emptied = secrets({ accessKeyId: '', secretAccessKey: '  ', sessionToken: '' });
    expect(secretPatch('access-key', emptied, true)).toEqual({ sessionToken: null });
    // Nothing stored, so there is no token to remove.
    expect(secretPatch('access-key', emptied, false)).toBeUndefined();
    expect(secretPatch('access-key', secrets({ sessionToken: 'tok' }), true)).toEqual({
      sessionToken: 'tok',
    });
  });

  it('never sends a secret for kinds that store none', () => {
    const typed = secrets({ accessKeyId: 'AKIA1', secretAccessKey: 's' });
    expect(secretPatch('aws-profile', typed, true)).toBeUndefined();
    expect(secretPatch('environment', typed, false)).toBeUndefined();
  });
});

describe('connection draft', () => {
  it('leaves empty fields out and trims the rest', () => {
    const check = buildDraft(
      form({
        name: '  Store ',
        kind: 'environment',
        awsProfileName: 'leftover',
        endpoint: ' https://s3.example.com ',
        region: ' auto ',
        defaultPrefix: '   ',
      }),
      UNTOUCHED_SECRET,
      null,
    );
    expect(check).toEqual({
      ok: true,
      draft: {
        name: 'Store',
        kind: 'environment',
        checksumMode: 'WHEN_SUPPORTED',
        endpoint: 'https://s3.example.com',
        region: 'auto',
      },
      secret: undefined,
    });
  });

  it('asks for both keys of a new access key connection, not of one with a stored key', () => {
    const check = buildDraft(form({ kind: 'access-key' }), UNTOUCHED_SECRET, null);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors).sort()).toEqual(['accessKeyId', 'secretAccessKey']);

    const stored = buildDraft(formFromProfile(MINIO), UNTOUCHED_SECRET, MINIO);
    expect(stored.ok && stored.secret).toBeUndefined();
    expect(stored.ok && stored.draft.id).toBe('c-minio');
  });

  it('checks names, AWS profiles, endpoints, regions and buckets', () => {
    const check = buildDraft(
      form({
        name: ' ',
        kind: 'aws-profile',
        awsProfileName: '',
        endpoint: 's3.example.com',
        region: 'eu west',
        defaultBucket: 'no spaces',
      }),
      UNTOUCHED_SECRET,
      null,
    );
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors).sort()).toEqual([
      'awsProfileName',
      'defaultBucket',
      'endpoint',
      'name',
      'region',
    ]);
    const withKeys = buildDraft(
      form({ kind: 'environment', endpoint: 'https://key:secret@s3.example.com' }),
      UNTOUCHED_SECRET,
      null,
    );
    expect(!withKeys.ok && withKeys.errors.endpoint).toMatch(/key fields/);
    expect(!withKeys.ok && JSON.stringify(withKeys.errors)).not.toContain('secret@');
  });

  it('lets an unnamed connection be tested but not saved', () => {
    const unnamed = form({ name: '', kind: 'environment' });
    expect(buildDraft(unnamed, UNTOUCHED_SECRET, null).ok).toBe(false);
    const check = buildDraft(unnamed, UNTOUCHED_SECRET, null, { forTest: true });
    expect(check.ok && check.draft.name).toBe('New connection');
  });

  it('turns CloudFront lines into a map, skipping empty lines and catching half-filled ones', () => {
    const rows = [
      cloudFrontRow('photos', 'https://CDN.Example.com/'),
      cloudFrontRow('', ''),
      cloudFrontRow('raw', 'd111.cloudfront.net'),
    ];
    const check = buildDraft(
      form({ kind: 'environment', cloudFront: rows }),
      UNTOUCHED_SECRET,
      null,
    );
    expect(check.ok && check.draft.cloudFrontDomains).toEqual({
      photos: 'cdn.example.com',
      raw: 'd111.cloudfront.net',
    });
    expect(normalizeDomain(' http://A.b/ ')).toBe('a.b');

    const half = buildDraft(
      form({ kind: 'environment', cloudFront: [cloudFrontRow('photos', '')] }),
      UNTOUCHED_SECRET,
      null,
    );
    expect(!half.ok && half.errors.cloudFront).toMatch(/both/);
    const twice = buildDraft(
      form({
        kind: 'environment',
        cloudFront: [cloudFrontRow('a', 'x.example.com'), cloudFrontRow('a', 'y.example.com')],
      }),
      UNTOUCHED_SECRET,
      null,
    );
    expect(!twice.ok && twice.errors.cloudFront).toMatch(/more than one/);
  });

  it('drops the AWS profile name when the kind changes away from AWS profile', () => {
    const switched = { ...formFromProfile(WORK), kind: 'environment' as const };
    const check = buildDraft(switched, UNTOUCHED_SECRET, WORK);
    expect(check.ok && check.draft).toEqual({
      id: 'c-work',
      name: 'Work',
      kind: 'environment',
      checksumMode: 'WHEN_SUPPORTED',
    });
  });

  it('starts a new connection from the first AWS profile, or as an access key', () => {
    expect(newForm(OVERVIEW.awsProfiles)).toMatchObject({
      kind: 'aws-profile',
      awsProfileName: 'default',
      region: '',
    });
    expect(newForm([])).toMatchObject({ kind: 'access-key', awsProfileName: '' });
  });
});

describe('what a test sends', () => {
  const draftOf = (value: ConnectionForm, inputs = UNTOUCHED_SECRET) => {
    const check = buildDraft(value, inputs, MINIO, { forTest: true });
    if (!check.ok) throw new Error(JSON.stringify(check.errors));
    return check;
  };

  it('tests an untouched saved connection by id, with its default bucket', () => {
    const { draft, secret } = draftOf(formFromProfile(MINIO));
    expect(isUnchanged(draft, secret, MINIO)).toBe(true);
    expect(testRequest(draft, secret, MINIO)).toEqual({ id: 'c-minio', bucket: 'photos' });
  });

  it('tests edits as a draft, with only the secret fields typed', () => {
    const edited = draftOf({ ...formFromProfile(MINIO), region: 'eu-central-1' });
    expect(testRequest(edited.draft, edited.secret, MINIO)).toEqual({
      draft: expect.objectContaining({ id: 'c-minio', region: 'eu-central-1' }),
      bucket: 'photos',
    });
    const rekeyed = draftOf(formFromProfile(MINIO), secrets({ secretAccessKey: 'new' }));
    expect(testRequest(rekeyed.draft, rekeyed.secret, MINIO)).toEqual({
      draft: expect.objectContaining({ id: 'c-minio' }),
      secret: { secretAccessKey: 'new' },
      bucket: 'photos',
    });
  });

  it('tests a new connection as a draft without a bucket when none is set', () => {
    const check = buildDraft(
      form({ kind: 'access-key' }),
      secrets({ accessKeyId: 'AKIA1', secretAccessKey: 's' }),
      null,
    );
    if (!check.ok) throw new Error('invalid');
    expect(testRequest(check.draft, check.secret, null)).toEqual({
      draft: check.draft,
      secret: { accessKeyId: 'AKIA1', secretAccessKey: 's' },
    });
  });

  it('asks to save first only for edits that change how the store is reached', () => {
    const base = formFromProfile(MINIO);
    expect(
      changesAccess(
        { ...base, name: 'Renamed', checksumMode: 'WHEN_SUPPORTED' },
        UNTOUCHED_SECRET,
        MINIO,
      ),
    ).toBe(false);
    expect(changesAccess({ ...base, defaultBucket: 'other' }, UNTOUCHED_SECRET, MINIO)).toBe(false);
    expect(changesAccess({ ...base, endpoint: 'http://other:9000' }, UNTOUCHED_SECRET, MINIO)).toBe(
      true,
    );
    expect(changesAccess({ ...base, forcePathStyle: false }, UNTOUCHED_SECRET, MINIO)).toBe(true);
    expect(changesAccess(base, secrets({ accessKeyId: 'AKIA2' }), MINIO)).toBe(true);
  });
});

describe('connection labels', () => {
  it('summarizes a profile and an AWS profile option', () => {
    expect(profileSummary(MINIO)).toBe('nas.local:9000 · us-east-1 · s3://photos/camera/');
    expect(profileSummary(WORK)).toBe('profile work-sso · Amazon S3');
    expect(awsProfileLabel({ name: 'work', kind: 'sso', region: 'eu-west-1' })).toBe(
      'work (sso, eu-west-1)',
    );
  });

  it('describes a successful test', () => {
    expect(
      testDetails({ ok: true, message: 'ok', region: 'us-east-1', buckets: ['a', 'b'] }),
    ).toEqual(['Region us-east-1', '2 buckets listed']);
    expect(
      testDetails({
        ok: true,
        message: 'ok',
        region: 'us-east-1',
        detectedRegion: 'eu-central-1',
        listBucketsDenied: true,
      }),
    ).toEqual([
      'Region us-east-1',
      'detected region eu-central-1',
      'may not list buckets: type the bucket name',
    ]);
  });
});

const SETTINGS: Settings = {
  activeConnectionId: null,
  filesInFlight: 4,
  partsInFlight: 8,
  partSizeMiB: 8,
  checksumMode: 'WHEN_SUPPORTED',
  skipJunkFiles: true,
  autoResumeOnLaunch: true,
  defaultConflictPolicy: 'ask',
  destination: { bucket: 'pics', prefix: 'trip/' },
};

function fakeApi(overrides: Partial<BucketdropApi> = {}) {
  let settings = { ...SETTINGS };
  const api: BucketdropApi = {
    ...unusedApi(),
    planDroppedFiles: vi.fn(() => fail('unused')),
    pick: vi.fn(() => ok(null)),
    startUpload: vi.fn(() => ok({ batchIds: [] })),
    discardPreflight: vi.fn(() => ok(null)),
    queueAction: vi.fn(() => ok(null)),
    queueSnapshot: vi.fn(() => ok({ items: [], overall: EMPTY_OVERALL })),
    resumeUnfinished: vi.fn(() => ok({ items: 0 })),
    getSettings: vi.fn(() => ok(settings)),
    updateSettings: vi.fn((patch: Partial<Settings>) => {
      settings = { ...settings, ...patch };
      return ok(settings);
    }),
    listBuckets: vi.fn(() => ok(['pics'])),
    connectionsOverview: vi.fn(() => ok(OVERVIEW)),
    saveConnection: vi.fn((request) =>
      ok({ saved: { ...MINIO, ...request.draft, id: request.draft.id ?? 'c-new' } }),
    ),
    removeConnection: vi.fn(() => ok(null)),
    testConnection: vi.fn(() => ok({ ok: true as const, message: 'Connected', region: 'x' })),
    probeChecksums: vi.fn(() =>
      ok({ mode: 'WHEN_REQUIRED' as const, reason: 'r', verified: true }),
    ),
    checkUploadOptions: vi.fn(() => ok({ problems: [], notices: [] })),
    onProgress: vi.fn(() => () => {}),
    onNotice: vi.fn(() => () => {}),
    ...overrides,
  };
  return api;
}

async function connected(overrides: Partial<BucketdropApi> = {}) {
  const api = fakeApi(overrides);
  const store = createAppStore();
  const controller = createController(api, store);
  controller.connect();
  await vi.waitFor(() => {
    const state = store.getState();
    expect(state.connections !== null || state.connectionsError !== null).toBe(true);
  });
  await vi.waitFor(() => expect(store.getState().settings).not.toBeNull());
  await vi.waitFor(() => expect(store.getState().buckets).not.toBeNull());
  return { api, store, controller };
}

describe('connections in the controller', () => {
  it('loads the connections with the rest, and knows which one is active', async () => {
    const { store } = await connected({
      getSettings: () => ok({ ...SETTINGS, activeConnectionId: 'c-work' }),
    });
    expect(store.getState().connections?.profiles.map((p) => p.id)).toEqual(['c-minio', 'c-work']);
    expect(activeProfile(store.getState())?.name).toBe('Work');
  });

  it('switches connection: saves it with its default destination and lists its buckets', async () => {
    const { api, store, controller } = await connected();
    vi.mocked(api.listBuckets).mockClear();
    const switching = controller.selectConnection('c-minio');
    // The bar shows the choice at once, while the list reloads.
    expect(store.getState().settings?.activeConnectionId).toBe('c-minio');
    expect(store.getState().buckets).toBeNull();
    await switching;
    expect(api.updateSettings).toHaveBeenCalledWith({
      activeConnectionId: 'c-minio',
      destination: { bucket: 'photos', prefix: 'camera/' },
    });
    expect(store.getState().destination).toEqual({ bucket: 'photos', prefix: 'camera/' });
    expect(api.listBuckets).toHaveBeenCalledTimes(1);

    await controller.selectConnection(null);
    expect(api.updateSettings).toHaveBeenLastCalledWith({
      activeConnectionId: null,
      destination: { bucket: '', prefix: '' },
    });
    expect(store.getState().destination).toEqual({ bucket: '', prefix: '' });
  });

  it('goes back to the previous connection when saving the switch fails', async () => {
    const { store, controller } = await connected({
      updateSettings: () => fail('Settings could not be saved'),
    });
    await controller.selectConnection('c-work');
    expect(store.getState().settings?.activeConnectionId).toBeNull();
    expect(store.getState().destination).toEqual(SETTINGS.destination);
    expect(store.getState().notices[0]?.message).toBe('Settings could not be saved');
  });

  it('keeps the bucket field usable when the new connection cannot list buckets', async () => {
    const { store, controller } = await connected({
      listBuckets: () => fail('Access denied'),
    });
    await controller.selectConnection('c-minio');
    expect(store.getState().bucketsError).toBe('Access denied');
    expect(store.getState().destination.bucket).toBe('photos');
  });

  it('shows only the bucket list of the last connection chosen', async () => {
    const answers: ((value: Result<string[]>) => void)[] = [];
    const api = fakeApi({
      listBuckets: () => new Promise((resolve) => answers.push(resolve)),
    });
    const slowStore = createAppStore();
    const slow = createController(api, slowStore);
    slowStore.getState().setSettings(SETTINGS);
    slowStore.getState().setConnections({ overview: OVERVIEW });
    const first = slow.selectConnection('c-minio');
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    const second = slow.selectConnection('c-work');
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    answers[1]!({ ok: true, value: ['work-bucket'] });
    answers[0]!({ ok: true, value: ['minio-bucket'] });
    await Promise.all([first, second]);
    expect(slowStore.getState().buckets).toEqual(['work-bucket']);
  });

  it('passes a consent request back without reloading, and saves with consent', async () => {
    const saveConnection = vi.fn<BucketdropApi['saveConnection']>((request) =>
      request.allowWeakEncryption
        ? ok({ saved: { ...MINIO, id: 'c-new', name: request.draft.name } })
        : ok({ needsConsent: 'No keyring' }),
    );
    const { api, controller } = await connected({ saveConnection });
    vi.mocked(api.connectionsOverview).mockClear();
    const request = {
      draft: { name: 'B2', kind: 'access-key' as const, checksumMode: 'WHEN_SUPPORTED' as const },
      secret: { accessKeyId: 'AKIA1', secretAccessKey: 'hunter2-secret' },
    };
    expect(await controller.saveConnection(request)).toEqual({ needsConsent: 'No keyring' });
    expect(api.connectionsOverview).not.toHaveBeenCalled();
    const saved = await controller.saveConnection({ ...request, allowWeakEncryption: true });
    expect('saved' in saved && saved.saved.id).toBe('c-new');
    expect(api.connectionsOverview).toHaveBeenCalledTimes(1);
  });

  it('returns save errors to the editor instead of raising a notice', async () => {
    const { store, controller } = await connected({
      saveConnection: () => fail('A connection named "Work" already exists: choose another name'),
    });
    const result = await controller.saveConnection({
      draft: { name: 'Work', kind: 'environment', checksumMode: 'WHEN_SUPPORTED' },
    });
    expect(result).toEqual({
      error: 'A connection named "Work" already exists: choose another name',
    });
    expect(store.getState().notices).toEqual([]);
  });

  it('relists the buckets after saving the connection in use', async () => {
    const { api, controller } = await connected({
      getSettings: () => ok({ ...SETTINGS, activeConnectionId: 'c-minio' }),
    });
    vi.mocked(api.listBuckets).mockClear();
    await controller.saveConnection({ draft: { ...formDraft(MINIO) } });
    await vi.waitFor(() => expect(api.listBuckets).toHaveBeenCalledTimes(1));
    await controller.saveConnection({ draft: { ...formDraft(WORK) } });
    expect(api.listBuckets).toHaveBeenCalledTimes(1);
  });

  it('falls back to the default credentials when the connection in use is removed', async () => {
    let activeConnectionId: string | null = 'c-minio';
    const removeConnection = vi.fn((id: string) => {
      // As main does: removing the connection in use switches to the default credentials.
      if (id === activeConnectionId) activeConnectionId = null;
      return ok(null);
    });
    const { api, store, controller } = await connected({
      getSettings: () => ok({ ...SETTINGS, activeConnectionId }),
      removeConnection,
    });
    vi.mocked(api.listBuckets).mockClear();
    expect(await controller.removeConnection('c-work')).toBeNull();
    expect(api.listBuckets).not.toHaveBeenCalled();
    expect(store.getState().settings?.activeConnectionId).toBe('c-minio');
    expect(await controller.removeConnection('c-minio')).toBeNull();
    expect(removeConnection).toHaveBeenCalledWith('c-minio');
    expect(store.getState().settings?.activeConnectionId).toBeNull();
    await vi.waitFor(() => expect(api.listBuckets).toHaveBeenCalledTimes(1));
  });

  it('returns a failed removal to the list', async () => {
    const { controller } = await connected({ removeConnection: () => fail('No connection') });
    expect(await controller.removeConnection('c-work')).toBe('No connection');
  });

  it('keeps typed secrets out of the store', async () => {
    const { store, controller } = await connected();
    const secret = { accessKeyId: 'AKIASECRETID', secretAccessKey: 'wJalr-super-secret' };
    const draft = {
      name: 'B2',
      kind: 'access-key' as const,
      checksumMode: 'WHEN_SUPPORTED' as const,
    };
    await controller.testConnection({ draft, secret });
    await controller.saveConnection({ draft, secret });
    controller.openConnections();
    const state = JSON.stringify(store.getState());
    expect(state).not.toContain('AKIASECRETID');
    expect(state).not.toContain('wJalr-super-secret');
  });

  it('reports a failed overview in the dialog and on launch', async () => {
    const { store } = await connected({
      connectionsOverview: () => fail('profiles.json is broken'),
    });
    expect(store.getState().connectionsError).toBe('profiles.json is broken');
    expect(store.getState().notices.map((n) => n.message)).toContain('profiles.json is broken');
  });
});

function formDraft(profile: ConnectionProfileView) {
  const check = buildDraft(formFromProfile(profile), UNTOUCHED_SECRET, profile, {
    ignoreSecret: true,
  });
  if (!check.ok) throw new Error('invalid');
  return check.draft;
}
