import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  BucketdropApi,
  ItemProgress,
  Notice,
  Preflight,
  ProgressSnapshot,
  Result,
  Settings,
} from '../../preload/contract';
import { createController, DESTINATION_SAVE_DELAY_MS } from '../../renderer/src/controller';
import { EMPTY_OVERALL } from '../../renderer/src/store/queue';
import { createAppStore } from '../../renderer/src/store/store';
import { unusedApi } from '../support/fakeApi';

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
const fail = (error: string): Promise<Result<never>> => Promise.resolve({ ok: false, error });

const SETTINGS: Settings = {
  activeConnectionId: null,
  filesInFlight: 4,
  partsInFlight: 8,
  partSizeMiB: 8,
  checksumMode: 'WHEN_SUPPORTED',
  skipJunkFiles: true,
  autoResumeOnLaunch: true,
  defaultConflictPolicy: 'ask',
  destination: { bucket: 'pics', prefix: 'trip' },
};

const PREFLIGHT: Preflight = {
  id: 'p1',
  destination: SETTINGS.destination,
  fileCount: 2,
  totalBytes: 20,
  sample: [],
  skipped: [],
  conflicts: [{ key: 'trip/a.jpg', size: 10, existingSize: 10, existingLastModified: null }],
  conflictsChecked: true,
};

function item(id: string, state: ItemProgress['state']): ItemProgress {
  return {
    id,
    batchId: 'b',
    path: `/p/${id}`,
    bucket: 'pics',
    key: `trip/${id}`,
    size: 10,
    bytesDone: 0,
    state,
    rate: 0,
    etaSeconds: null,
  };
}

function fakeApi(overrides: Partial<BucketdropApi> = {}) {
  const listeners: {
    progress?: (s: ProgressSnapshot) => void;
    notice?: (n: Notice) => void;
  } = {};
  const api: BucketdropApi = {
    ...unusedApi(),
    planDroppedFiles: vi.fn(() => ok(PREFLIGHT)),
    pick: vi.fn(() => ok<Preflight | null>(null)),
    startUpload: vi.fn(() => ok({ batchIds: ['b'] })),
    discardPreflight: vi.fn(() => ok(null)),
    queueAction: vi.fn(() => ok(null)),
    queueSnapshot: vi.fn(() =>
      ok({ items: [item('a', 'done'), item('b', 'uploading')], overall: EMPTY_OVERALL }),
    ),
    resumeUnfinished: vi.fn(() => ok({ items: 0 })),
    getSettings: vi.fn(() => ok(SETTINGS)),
    updateSettings: vi.fn((patch: Partial<Settings>) => ok({ ...SETTINGS, ...patch })),
    listBuckets: vi.fn(() => ok(['pics', 'raw'])),
    connectionsOverview: vi.fn(() =>
      ok({ profiles: [], awsProfiles: [], encryption: { strong: true as const } }),
    ),
    removeConnection: vi.fn(() => ok(null)),
    checkUploadOptions: vi.fn(() => ok({ problems: [], notices: [] })),
    onProgress: vi.fn((listener) => {
      listeners.progress = listener;
      return () => delete listeners.progress;
    }),
    onNotice: vi.fn((listener) => {
      listeners.notice = listener;
      return () => delete listeners.notice;
    }),
    ...overrides,
  };
  return { api, listeners };
}

async function connected(overrides: Partial<BucketdropApi> = {}) {
  const { api, listeners } = fakeApi(overrides);
  const store = createAppStore();
  const controller = createController(api, store);
  const disconnect = controller.connect();
  await vi.waitFor(() => expect(store.getState().buckets).not.toBeNull());
  await vi.waitFor(() => expect(store.getState().settings).not.toBeNull());
  return { api, listeners, store, controller, disconnect };
}

afterEach(() => vi.useRealTimers());

describe('renderer controller', () => {
  it('loads the queue, settings and buckets, then applies deltas and notices', async () => {
    const { store, listeners, disconnect } = await connected();
    await vi.waitFor(() => expect(store.getState().order).toEqual(['a', 'b']));
    expect(store.getState().destination).toEqual({ bucket: 'pics', prefix: 'trip' });
    expect(store.getState().buckets).toEqual(['pics', 'raw']);

    listeners.progress?.({ items: [item('c', 'queued')], overall: EMPTY_OVERALL, removed: ['a'] });
    expect(store.getState().order).toEqual(['b', 'c']);
    listeners.notice?.({ kind: 'batch-finished', message: '2 files uploaded' });
    expect(store.getState().notices[0]?.message).toBe('2 files uploaded');

    disconnect();
    expect(listeners.progress).toBeUndefined();
  });

  it('lets the user type a bucket when listing fails, without a toast', async () => {
    const { store } = await connected({ listBuckets: () => fail('Access denied') });
    expect(store.getState().bucketsError).toBe('Access denied');
    expect(store.getState().notices).toEqual([]);
  });

  it('shows failures of any call as error notices, including rejected promises', async () => {
    const { store, controller } = await connected({
      queueAction: () => Promise.reject(new Error('bridge closed')),
    });
    await controller.queueAction('pause');
    expect(store.getState().notices.map((n) => [n.kind, n.message])).toEqual([
      ['error', 'bridge closed'],
    ]);
  });

  it('refuses drops without a bucket and plans them otherwise', async () => {
    const { api, store, controller } = await connected();
    controller.setBucket('');
    await controller.planDropped([new File(['x'], 'a.jpg')]);
    expect(api.planDroppedFiles).not.toHaveBeenCalled();
    expect(store.getState().notices[0]?.message).toBe('Choose a bucket before adding files.');

    controller.setBucket('pics');
    await controller.planDropped([new File(['x'], 'a.jpg')]);
    expect(api.planDroppedFiles).toHaveBeenCalledWith(expect.any(Array), {
      bucket: 'pics',
      prefix: 'trip',
    });
    expect(store.getState().preflight?.id).toBe('p1');
    expect(store.getState().busy).toBeNull();
  });

  it('waits for settings before planning a drop made right after launch', async () => {
    let answer: (value: Result<Settings>) => void = () => {};
    const { api } = fakeApi({ getSettings: () => new Promise((resolve) => (answer = resolve)) });
    const store = createAppStore();
    const controller = createController(api, store);
    controller.connect();
    const planned = controller.planDropped([new File(['x'], 'a.jpg')]);
    answer({ ok: true, value: SETTINGS });
    await planned;
    expect(api.planDroppedFiles).toHaveBeenCalledWith(expect.any(Array), SETTINGS.destination);
    expect(store.getState().notices).toEqual([]);
  });

  it('keeps a destination typed before settings finished loading', async () => {
    let answer: (value: Result<Settings>) => void = () => {};
    const { api } = fakeApi({ getSettings: () => new Promise((resolve) => (answer = resolve)) });
    const store = createAppStore();
    const controller = createController(api, store);
    controller.connect();
    controller.setBucket('typed-bucket');
    answer({ ok: true, value: SETTINGS });
    await vi.waitFor(() => expect(store.getState().settings).not.toBeNull());
    expect(store.getState().destination.bucket).toBe('typed-bucket');
  });

  it('does nothing when the user cancels the file picker', async () => {
    const { api, store, controller } = await connected();
    await controller.pick('folder');
    expect(api.pick).toHaveBeenCalledWith('folder', { bucket: 'pics', prefix: 'trip' });
    expect(store.getState().preflight).toBeNull();
    expect(store.getState().notices).toEqual([]);
  });

  it('starts an upload only once every conflict is decided', async () => {
    const { api, store, controller } = await connected();
    await controller.planDropped([new File(['x'], 'a.jpg')]);
    await controller.startUpload();
    expect(api.startUpload).not.toHaveBeenCalled();

    store.getState().chooseConflict('trip/a.jpg', 'rename');
    await controller.startUpload();
    expect(api.startUpload).toHaveBeenCalledWith({
      preflightId: 'p1',
      onConflict: 'skip',
      perKey: { 'trip/a.jpg': 'rename' },
    });
    expect(store.getState().preflight).toBeNull();
  });

  it('keeps the preflight open when starting fails', async () => {
    const { store, controller } = await connected({ startUpload: () => fail('Bucket gone') });
    await controller.planDropped([new File(['x'], 'a.jpg')]);
    store.getState().applyToAllConflicts('overwrite');
    await controller.startUpload();
    expect(store.getState().preflight?.id).toBe('p1');
    expect(store.getState().startingUpload).toBe(false);
    expect(store.getState().notices[0]?.message).toBe('Bucket gone');
  });

  it('discards a preflight in main when the dialog closes', async () => {
    const { api, store, controller } = await connected();
    await controller.planDropped([new File(['x'], 'a.jpg')]);
    await controller.discardPreflight();
    expect(api.discardPreflight).toHaveBeenCalledWith('p1');
    expect(store.getState().preflight).toBeNull();
  });

  it('sends selection actions only for rows they apply to', async () => {
    const { api, store, controller } = await connected();
    await vi.waitFor(() => expect(store.getState().order).toHaveLength(2));
    store.getState().selectAll();
    await controller.actOnSelection('pause');
    expect(api.queueAction).toHaveBeenCalledWith({ action: 'pause', ids: ['b'] });
    await controller.deleteSelection();
    expect(api.queueAction).toHaveBeenCalledWith({ action: 'remove', ids: ['a'] });
    expect(api.queueAction).toHaveBeenCalledWith({ action: 'cancel', ids: ['b'] });
    vi.mocked(api.queueAction).mockClear();
    await controller.actOnSelection('retry');
    expect(api.queueAction).not.toHaveBeenCalled();
  });

  it('saves the destination once typing pauses', async () => {
    const { api, controller } = await connected();
    vi.useFakeTimers();
    controller.setPrefix('t');
    controller.setPrefix('tr');
    controller.setPrefix('trips');
    expect(api.updateSettings).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(DESTINATION_SAVE_DELAY_MS);
    expect(api.updateSettings).toHaveBeenCalledTimes(1);
    expect(api.updateSettings).toHaveBeenCalledWith({
      destination: { bucket: 'pics', prefix: 'trips' },
    });
  });

  it('returns settings validation errors to the dialog instead of a toast', async () => {
    const { store, controller } = await connected({
      updateSettings: () => fail('Part size must be at least 5 MiB'),
    });
    expect(await controller.saveSettings({ partSizeMiB: 1 })).toBe(
      'Part size must be at least 5 MiB',
    );
    expect(store.getState().notices).toEqual([]);
  });
});
