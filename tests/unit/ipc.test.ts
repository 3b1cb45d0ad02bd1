import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE, type InvokeChannel } from '../../preload/contract';
import type { InvokeHandlers } from '../../main/ipc/dispatch';
import { registerIpcHandlers, unregisterIpcHandlers } from '../../main/ipc/register';
import { ownWindowOnly } from '../../main/ipc/senders';
import { UserFacingError } from '../../main/service/uploadService';
import { BrowserWindow, ipcMain } from '../support/fakeElectron';

const destination = { bucket: 'photos', prefix: 'shoots/' };

const version = { bucket: 'photos', key: 'shoots/a.jpg', versionId: 'v1' };
const VALID_VERSIONS = {
  [INVOKE.versioningStatus]: { bucket: 'photos' },
  [INVOKE.enableVersioning]: { bucket: 'photos' },
  [INVOKE.listVersions]: { bucket: 'photos', key: 'a.jpg', cursor: { keyMarker: 'a.jpg' } },
  [INVOKE.previewVersion]: version,
  [INVOKE.versionLink]: { ...version, expiresInSeconds: 86_400 },
  [INVOKE.restoreVersion]: version,
  [INVOKE.undeleteKeys]: { bucket: 'photos', keys: ['shoots/a.jpg'] },
  [INVOKE.listDeletedKeys]: { bucket: 'photos', prefix: 'shoots/' },
  [INVOKE.planPointInTime]: {
    bucket: 'photos',
    prefix: 'shoots/',
    at: '2026-01-02T03:04:05.000Z',
    deleteCreatedSince: false,
  },
  [INVOKE.applyPointInTime]: { planId: '3f2b8c1e-2d4a-4f6b-9c8d-1e2f3a4b5c6d' },
  [INVOKE.pointInTimeProgress]: { planId: '3f2b8c1e-2d4a-4f6b-9c8d-1e2f3a4b5c6d' },
  [INVOKE.deleteVersionPermanently]: { ...version, typedKey: 'shoots/a.jpg' },
  [INVOKE.auditLog]: null,
  [INVOKE.exportAuditLog]: { format: 'csv' },
};
const MALFORMED_VERSIONS: Partial<Record<InvokeChannel, unknown[]>> = {
  [INVOKE.deleteVersionPermanently]: [
    { ...version, typedKey: 'shoots/b.jpg' },
    { ...version, typedKey: 'a.jpg' },
    { ...version, typedKey: '' },
    { bucket: 'photos', key: 'shoots/a.jpg', typedKey: 'shoots/a.jpg' },
  ],
  [INVOKE.versionLink]: [
    { ...version, expiresInSeconds: 604_801 },
    { ...version, expiresInSeconds: 31_536_000 },
  ],
  [INVOKE.undeleteKeys]: [
    { bucket: 'photos', keys: [] },
    { bucket: 'photos', prefix: 'x/' },
  ],
  [INVOKE.planPointInTime]: [
    { bucket: 'photos', prefix: '', at: 'yesterday', deleteCreatedSince: false },
    { bucket: 'photos', prefix: '', at: '2026-01-02T03:04:05Z' },
  ],
  [INVOKE.exportAuditLog]: [{ format: 'xlsx' }, { format: 'csv', path: '/etc/passwd' }],
};

/** One valid payload per channel, so that each rejection below is the payload's fault alone. */
const VALID: Record<InvokeChannel, unknown> = {
  [INVOKE.planDropped]: { paths: ['/home/ana/Pictures/Shoot'], destination },
  [INVOKE.pick]: { kind: 'folder', destination },
  [INVOKE.startUpload]: { preflightId: 'p1', onConflict: 'skip', perKey: { 'a.jpg': 'rename' } },
  [INVOKE.discardPreflight]: { preflightId: 'p1' },
  [INVOKE.queueAction]: { action: 'pause', ids: ['a', 'b'] },
  [INVOKE.queueSnapshot]: null,
  [INVOKE.resumeUnfinished]: null,
  [INVOKE.getSettings]: null,
  [INVOKE.updateSettings]: { filesInFlight: 6 },
  [INVOKE.listBuckets]: null,
  [INVOKE.connectionsOverview]: null,
  [INVOKE.saveConnection]: {
    draft: { name: 'MinIO', kind: 'access-key', checksumMode: 'WHEN_REQUIRED' },
    secret: { accessKeyId: 'AKIA', secretAccessKey: 'shh' },
  },
  [INVOKE.removeConnection]: { id: '3f2b8c1e-2d4a-4f6b-9c8d-1e2f3a4b5c6d' },
  [INVOKE.testConnection]: { id: '3f2b8c1e-2d4a-4f6b-9c8d-1e2f3a4b5c6d', bucket: 'photos' },
  [INVOKE.probeChecksums]: { id: '3f2b8c1e-2d4a-4f6b-9c8d-1e2f3a4b5c6d', bucket: 'photos' },
  [INVOKE.listPage]: { bucket: 'photos', prefix: 'shoots/', startsWith: 'IMG' },
  [INVOKE.objectDetails]: { bucket: 'photos', key: 'shoots/a.jpg' },
  [INVOKE.thumbnail]: {
    bucket: 'photos',
    key: 'shoots/a.jpg',
    etag: '"abc"',
    size: 1000,
    storageClass: 'STANDARD',
  },
  [INVOKE.createFolder]: { bucket: 'photos', prefix: 'shoots/', name: 'day 2' },
  [INVOKE.deleteObjects]: { bucket: 'photos', keys: ['shoots/a.jpg'], prefixes: ['old/'] },
  [INVOKE.shareLinks]: { bucket: 'photos', key: 'shoots/a.jpg', expiresInSeconds: 3600 },
  ...VALID_VERSIONS,
  [INVOKE.downloadObjects]: {
    bucket: 'photos',
    keys: ['a.jpg'],
    prefixes: ['shoots/'],
    versions: [{ key: 'a.jpg', versionId: '3HL4kqtJlcpXroDTDmJ' }],
  },
  [INVOKE.requestRestore]: { bucket: 'photos', key: 'a.jpg', days: 7, tier: 'Standard' },
  [INVOKE.lifecycleOverview]: { bucket: 'photos' },
  [INVOKE.previewLifecycle]: {
    bucket: 'photos',
    additions: { glacier: { prefix: 'raw/', days: 30 }, abortIncomplete: { days: 7 } },
  },
  [INVOKE.applyLifecycle]: { bucket: 'photos', additions: { abortIncomplete: { days: 7 } } },
  [INVOKE.checkUploadOptions]: {
    bucket: 'photos',
    options: { storageClass: 'STANDARD_IA', metadata: [{ key: 'a', value: 'b' }] },
  },
  [INVOKE.createBucket]: {
    name: 'new-photos',
    versioning: true,
    blockPublicAccess: true,
    abortIncompleteUploadsAfter7Days: true,
  },
  [INVOKE.bucketOverview]: { bucket: 'photos' },
  [INVOKE.objectAccess]: { bucket: 'photos', key: 'a.jpg' },
};

const MALFORMED: Partial<Record<InvokeChannel, unknown[]>> = {
  [INVOKE.planDropped]: [
    { paths: ['relative/path.jpg'], destination },
    { paths: ['../../etc/passwd'], destination },
    { paths: ['/a\0b'], destination },
    { paths: [], destination },
    { paths: ['/a'], destination, extra: true },
    { paths: ['/a'], destination: { bucket: 'x'.repeat(100), prefix: '' } },
  ],
  [INVOKE.startUpload]: [
    { preflightId: 'p', onConflict: 'delete-everything' },
    { preflightId: 'p', onConflict: 'skip', paths: ['/etc/passwd'] },
    { preflightId: '', onConflict: 'skip' },
  ],
  [INVOKE.updateSettings]: [
    { filesInFlight: 0 },
    { partSizeMiB: 1 },
    // Over the 4 GiB a part buffer can hold.
    { partSizeMiB: 5000 },
    { checksumMode: 'CRC64' },
    { destination: { bucket: 'b' } },
  ],
  [INVOKE.queueAction]: [{ action: 'format-disk' }, { action: 'pause', ids: [1, 2] }],
  [INVOKE.saveConnection]: [
    { draft: { name: 'x', kind: 'root-shell', checksumMode: 'WHEN_REQUIRED' } },
    { draft: { name: 'x', kind: 'access-key', checksumMode: 'WHEN_REQUIRED', secret: 'inline' } },
    { draft: { name: 'x'.repeat(500), kind: 'environment', checksumMode: 'WHEN_REQUIRED' } },
  ],
  [INVOKE.removeConnection]: [{ id: '../../etc/passwd' }],
  [INVOKE.testConnection]: [{ id: 'not-a-uuid' }],
  ...MALFORMED_VERSIONS,
  [INVOKE.downloadObjects]: [
    // The window never names a folder: main asks with its own dialog.
    { bucket: 'photos', keys: ['a.jpg'], prefixes: [], folder: '/tmp' },
    { bucket: '', keys: ['a.jpg'], prefixes: [] },
    { bucket: 'photos', keys: [''], prefixes: [] },
    // A version is named by key and id, nothing else (no path rides along).
    { bucket: 'photos', keys: [], prefixes: [], versions: [{ key: 'a.jpg', versionId: '' }] },
    { bucket: 'photos', keys: [], prefixes: [], versions: [{ key: '', versionId: 'v1' }] },
    {
      bucket: 'photos',
      keys: [],
      prefixes: [],
      versions: [{ key: 'a.jpg', versionId: 'v1', target: '/tmp/a.jpg' }],
    },
    {
      bucket: 'photos',
      keys: [],
      prefixes: [],
      versions: Array.from({ length: 1001 }, () => ({ key: 'a.jpg', versionId: 'v1' })),
    },
  ],
  [INVOKE.requestRestore]: [
    { bucket: 'photos', key: 'a.jpg', days: 0, tier: 'Standard' },
    { bucket: 'photos', key: 'a.jpg', days: 7, tier: 'Instant' },
  ],
  [INVOKE.applyLifecycle]: [
    { bucket: 'photos', additions: { abortIncomplete: { days: 0 } } },
    { bucket: 'photos', additions: { expireEverything: { days: 1 } } },
  ],
  [INVOKE.checkUploadOptions]: [
    { bucket: 'photos', options: { storageClass: 'COLD' } },
    { bucket: 'photos', options: { acl: 'public' } },
    { bucket: 'photos', options: { metadata: [{ key: 'a', value: 'b', extra: 1 }] } },
  ],
};

const GENERIC_BAD: unknown[] = [
  undefined,
  42,
  'string',
  [],
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  'x'.repeat(1_000_000),
];

function trustedEvent(window: BrowserWindow) {
  return { sender: window.webContents, senderFrame: window.webContents.mainFrame };
}

describe('IPC handlers', () => {
  let window: BrowserWindow;
  let handlers: InvokeHandlers;

  beforeEach(() => {
    unregisterIpcHandlers();
    window = new BrowserWindow({});
    handlers = Object.fromEntries(
      Object.values(INVOKE).map((channel) => [channel, vi.fn(async () => 'handled')]),
    ) as unknown as InvokeHandlers;
    registerIpcHandlers(
      handlers,
      ownWindowOnly(
        () => window as never,
        (url) => url.startsWith('app://bucketdrop/'),
      ),
    );
  });

  it('registers exactly the contract’s channels, all with the app prefix', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(INVOKE).sort());
    for (const channel of ipcMain.handlers.keys()) expect(channel).toMatch(/^bucketdrop:/);
  });

  it.each(Object.values(INVOKE))(
    '%s answers our window with the handler’s value',
    async (channel) => {
      const answer = await ipcMain.invoke(channel, trustedEvent(window), VALID[channel]);
      expect(answer).toEqual({ ok: true, value: 'handled' });
    },
  );

  it.each(Object.values(INVOKE))('%s refuses other windows, frames and pages', async (channel) => {
    const other = new BrowserWindow({});
    const events = [
      { sender: other.webContents, senderFrame: other.webContents.mainFrame },
      { sender: window.webContents, senderFrame: { url: 'app://bucketdrop/index.html' } },
      { sender: window.webContents, senderFrame: null },
    ];
    window.webContents.mainFrame.url = 'https://evil.example/';
    events.push(trustedEvent(window));
    for (const event of events) {
      const answer = await ipcMain.invoke(channel, event, VALID[channel]);
      expect(answer).toMatchObject({
        ok: false,
        error: expect.stringMatching(/did not come from/),
      });
    }
    expect(handlers[channel]).not.toHaveBeenCalled();
  });

  it.each(Object.values(INVOKE))(
    '%s rejects malformed payloads without calling the handler',
    async (channel) => {
      const payloads = [...GENERIC_BAD, ...(MALFORMED[channel] ?? [])].filter(
        (payload) => !(payload === undefined && VALID[channel] === null),
      );
      for (const payload of payloads) {
        const answer = await ipcMain.invoke(channel, trustedEvent(window), payload);
        expect(answer, JSON.stringify(payload)?.slice(0, 80)).toEqual({
          ok: false,
          error: 'The request was not valid.',
        });
      }
      expect(handlers[channel]).not.toHaveBeenCalled();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('turns failures into plain words without stack traces', async () => {
    vi.mocked(handlers[INVOKE.listBuckets]).mockRejectedValueOnce(
      Object.assign(new Error('boom'), { name: 'SignatureDoesNotMatch' }),
    );
    vi.mocked(handlers[INVOKE.startUpload]).mockRejectedValueOnce(
      new UserFacingError('This preview has expired: add the files again.'),
    );
    expect(await ipcMain.invoke(INVOKE.listBuckets, trustedEvent(window), null)).toEqual({
      ok: false,
      error: 'the secret access key is wrong (signature mismatch)',
    });
    expect(
      await ipcMain.invoke(INVOKE.startUpload, trustedEvent(window), VALID[INVOKE.startUpload]),
    ).toEqual({ ok: false, error: 'This preview has expired: add the files again.' });
  });
});
