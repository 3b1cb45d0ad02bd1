/**
 * The slice of `electron` that the preload uses, for a page in plain Chromium: the real preload
 * bundle runs on top of it, with the test's bindings in place of Electron's IPC.
 */
type Listener = (event: unknown, payload: unknown) => void;

interface HarnessWindow {
  __bucketdropInvoke(channel: string, payload: unknown): Promise<unknown>;
  __bucketdropEmit?: (channel: string, payload: unknown) => void;
  /** What Electron's webUtils would answer for each dropped file's name. */
  __bucketdropDropPaths?: Record<string, string>;
}

const page = window as unknown as HarnessWindow & Record<string, unknown>;
const listeners = new Map<string, Set<Listener>>();

page.__bucketdropEmit = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener({}, payload);
};

export const ipcRenderer = {
  invoke: (channel: string, payload: unknown) => page.__bucketdropInvoke(channel, payload),
  on(channel: string, listener: Listener): void {
    if (!listeners.has(channel)) listeners.set(channel, new Set());
    listeners.get(channel)!.add(listener);
  },
  removeListener(channel: string, listener: Listener): void {
    listeners.get(channel)?.delete(listener);
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    Object.defineProperty(page, key, { value: Object.freeze(api), writable: false });
  },
};

export const webUtils = {
  getPathForFile: (file: File) => page.__bucketdropDropPaths?.[file.name] ?? '',
};
