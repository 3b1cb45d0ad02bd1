import { describe, expect, it, vi } from 'vitest';
import {
  API_METHODS,
  type BucketdropApi,
  type Preflight,
  type Result,
  type Settings,
  type UploadOptions,
} from '../../preload/contract';
import { uploadDefaultsFor } from '../../main/service/uploadOptionsSchema';
import { foldRecords } from '../../main/transfer/journal';
import { createController } from '../../renderer/src/controller';
import { OPTIONS_CHECK_DELAY_MS } from '../../renderer/src/optionsController';
import { EMPTY_OVERALL } from '../../renderer/src/store/queue';
import { createAppStore } from '../../renderer/src/store/store';
import { effectiveOptions, optionsBlockStart } from '../../renderer/src/store/uploadOptions';
import { parsePairs } from '../../renderer/src/uploadOptionChoices';

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });

const SETTINGS: Settings = {
  activeConnectionId: null,
  filesInFlight: 4,
  partsInFlight: 8,
  partSizeMiB: 8,
  checksumMode: 'WHEN_SUPPORTED',
  skipJunkFiles: true,
  autoResumeOnLaunch: true,
  defaultConflictPolicy: 'overwrite',
  destination: { bucket: 'pics', prefix: 'trip/' },
  uploadDefaults: [
    { connectionId: null, bucket: 'pics', prefix: 'trip/', options: { cacheControl: 'no-cache' } },
  ],
};

const PREFLIGHT: Preflight = {
  id: 'p1',
  destination: { bucket: 'pics', prefix: 'trip/' },
  fileCount: 1,
  totalBytes: 10,
  sample: [],
  skipped: [],
  conflicts: [],
  conflictsChecked: true,
  uploadOptions: { cacheControl: 'no-cache' },
};

function fakeApi(): BucketdropApi {
  let settings = structuredClone(SETTINGS);
  const api = Object.fromEntries(
    API_METHODS.map((method) => [method, vi.fn(() => ok(null))]),
  ) as unknown as BucketdropApi;
  return Object.assign(api, {
    getSettings: vi.fn(() => ok(settings)),
    updateSettings: vi.fn((patch: Partial<Settings>) => {
      settings = { ...settings, ...patch };
      return ok(settings);
    }),
    listBuckets: vi.fn(() => ok(['pics'])),
    queueSnapshot: vi.fn(() => ok({ items: [], overall: EMPTY_OVERALL })),
    connectionsOverview: vi.fn(() =>
      ok({ profiles: [], awsProfiles: [], encryption: { strong: true as const } }),
    ),
    planDroppedFiles: vi.fn(() => ok(PREFLIGHT)),
    startUpload: vi.fn(() => ok({ batchIds: ['b'] })),
    checkUploadOptions: vi.fn((_bucket: string, options: UploadOptions) =>
      ok({
        problems: options.tags?.length
          ? [{ field: 'tags' as const, message: 'This store does not support object tags.' }]
          : [],
        notices: [],
      }),
    ),
    onProgress: vi.fn(() => () => {}),
    onNotice: vi.fn(() => () => {}),
  });
}

async function withPreflight() {
  const api = fakeApi();
  const store = createAppStore();
  const controller = createController(api, store);
  controller.connect();
  await vi.waitFor(() => expect(store.getState().settings).not.toBeNull());
  await controller.planDropped([new File([''], 'a.jpg')]);
  return { api, store, controller };
}

describe('upload options in the renderer', () => {
  it('starts from the destination defaults and sends the batch options with the start request', async () => {
    const { api, store, controller } = await withPreflight();
    expect(store.getState().batchOptions).toEqual({ cacheControl: 'no-cache' });
    controller.setBatchOptions({ ...store.getState().batchOptions, storageClass: 'GLACIER_IR' });
    await controller.startUpload();
    expect(api.startUpload).toHaveBeenCalledWith({
      preflightId: 'p1',
      onConflict: 'overwrite',
      uploadOptions: { cacheControl: 'no-cache', storageClass: 'GLACIER_IR' },
    });
  });

  it('holds Start back while options are checked and while main reports a problem', async () => {
    const { store, controller } = await withPreflight();
    controller.setBatchOptions({ tags: [{ key: 'a', value: 'b' }] });
    expect(optionsBlockStart(store.getState())).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, OPTIONS_CHECK_DELAY_MS + 50));
    expect(store.getState().optionsCheck?.problems[0]?.field).toBe('tags');
    expect(optionsBlockStart(store.getState())).toBe(true);
    controller.setBatchOptions({ tags: [] });
    await vi.waitFor(() => expect(optionsBlockStart(store.getState())).toBe(false));
  });

  it('saves defaults per destination, replacing the entry of the same destination only', async () => {
    const { api, store, controller } = await withPreflight();
    controller.setBatchOptions({ acl: 'bucket-owner-full-control', exifMetadata: false });
    expect(await controller.saveOptionsAsDefaults()).toBeNull();
    expect(api.updateSettings).toHaveBeenLastCalledWith({
      uploadDefaults: [
        {
          connectionId: null,
          bucket: 'pics',
          prefix: 'trip/',
          options: { acl: 'bucket-owner-full-control' },
        },
      ],
    });
    expect(store.getState().settings?.uploadDefaults).toHaveLength(1);
  });

  it('reads key=value lines and names a broken line', () => {
    expect(parsePairs('a=1\n\n b = x=y \nnovalue')).toEqual({
      pairs: [
        { key: 'a', value: '1' },
        { key: 'b', value: 'x=y' },
      ],
      errors: ['line 4 ("novalue") needs the form key=value'],
    });
    expect(effectiveOptions({ metadata: [], exifMetadata: false, cacheControl: '' })).toBe(
      undefined,
    );
  });
});

describe('defaults per destination and old data', () => {
  it('applies the longest matching prefix of the same connection and bucket', () => {
    const defaults = [
      { connectionId: null, bucket: 'pics', prefix: '', options: { cacheControl: 'a' } },
      { connectionId: null, bucket: 'pics', prefix: 'trip/', options: { cacheControl: 'b' } },
      { connectionId: 'c1', bucket: 'pics', prefix: 'trip/day1/', options: { cacheControl: 'c' } },
    ];
    const at = (prefix: string, connection: string | null = null) =>
      uploadDefaultsFor(defaults, connection, { bucket: 'pics', prefix });
    expect(at('trip/day1/')).toEqual({ cacheControl: 'b' });
    expect(at('raw/')).toEqual({ cacheControl: 'a' });
    expect(at('trip/day1/', 'c1')).toEqual({ cacheControl: 'c' });
    expect(uploadDefaultsFor(undefined, null, { bucket: 'pics', prefix: '' })).toEqual({});
  });

  it('reads a journal written before upload options existed', () => {
    const batch = foldRecords([
      {
        r: 'batch',
        id: 'old',
        createdAt: '2026-01-01T00:00:00Z',
        bucket: 'pics',
        options: {
          checksumMode: 'WHEN_SUPPORTED',
          onConflict: 'overwrite',
          partSize: 8388608,
          multipartThreshold: 16777216,
        },
      },
      {
        r: 'item',
        id: 'i1',
        path: '/a.jpg',
        key: 'a.jpg',
        size: 1,
        mtimeMs: 1,
        contentType: 'image/jpeg',
      },
    ]);
    expect(batch?.options.upload).toBeUndefined();
    expect(batch?.items).toHaveLength(1);
  });
});
