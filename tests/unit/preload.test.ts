import { beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS, type BucketdropApi, EVENTS, INVOKE } from '../../preload/contract';
import { exposedInMainWorld, ipcRenderer } from '../support/fakeElectron';

let api: BucketdropApi;

beforeAll(async () => {
  await import('../../preload/bridge');
  api = exposedInMainWorld.get('bucketdrop') as BucketdropApi;
});

const destination = { bucket: 'photos', prefix: '' };

describe('preload bridge', () => {
  it('exposes exactly the contract’s methods, as one object', () => {
    expect([...exposedInMainWorld.keys()]).toEqual(['bucketdrop']);
    expect(Object.keys(api).sort()).toEqual([...API_METHODS].sort());
    for (const method of API_METHODS) expect(typeof api[method]).toBe('function');
  });

  it('sends the paths of dropped files, never the File objects', async () => {
    ipcRenderer.invocations.length = 0;
    const dropped = [{ path: '/home/ana/Shoot' }, { path: '/home/ana/a.jpg' }] as unknown as File[];
    await api.planDroppedFiles(dropped, destination);
    expect(ipcRenderer.invocations).toEqual([
      {
        channel: INVOKE.planDropped,
        payload: { paths: ['/home/ana/Shoot', '/home/ana/a.jpg'], destination },
      },
    ]);
  });

  it('refuses files the page made up, which have no path', async () => {
    ipcRenderer.invocations.length = 0;
    const forged = [new File(['x'], '/etc/passwd')];
    const answer = await api.planDroppedFiles(forged, destination);
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/Nothing to upload/) });
    expect(ipcRenderer.invocations).toEqual([]);
  });

  it('hands listeners the payload only, and unsubscribes', () => {
    const received: unknown[] = [];
    const unsubscribe = api.onProgress((snapshot) => received.push(snapshot));
    ipcRenderer.emit(EVENTS.progress, { sender: 'secret internals' }, { items: [] });
    unsubscribe();
    ipcRenderer.emit(EVENTS.progress, {}, { items: ['late'] });
    expect(received).toEqual([{ items: [] }]);
  });
});
