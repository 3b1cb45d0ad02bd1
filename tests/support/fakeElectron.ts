/**
 * A hand-written stand-in for the `electron` module, aliased in vitest.config.ts: the real one
 * downloads a binary on import. It records what the app asks of Electron so tests can check it.
 */
import { type ChildProcess, fork, type Serializable } from 'node:child_process';
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, payload: unknown) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What a renderer's ipcRenderer.invoke would get back. */
  async invoke(channel: string, event: unknown, payload: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, payload);
  }
}

class FakeIpcRenderer extends EventEmitter {
  readonly invocations: Array<{ channel: string; payload: unknown }> = [];
  answer: (channel: string, payload: unknown) => unknown = () => ({ ok: true, value: null });
  async invoke(channel: string, payload: unknown): Promise<unknown> {
    this.invocations.push({ channel, payload });
    return this.answer(channel, payload);
  }
}

export class FakeWebContents extends EventEmitter {
  readonly mainFrame = { url: 'app://bucketdrop/index.html' };
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  progress: number | null = null;
  loadedUrl: string | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  isDestroyed(): boolean {
    return false;
  }
  setProgressBar(value: number): void {
    this.progress = value;
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  show(): void {}
}

export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();

export const exposedInMainWorld = new Map<string, unknown>();
export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    exposedInMainWorld.set(key, api);
  },
};

/** Real dropped files carry a path; a File the page builds itself does not. */
export const webUtils = {
  getPathForFile(file: { path?: string }): string {
    return file.path ?? '';
  },
};

const sessionEvents = {
  headersListener: null as
    | null
    | ((
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void),
  permissionHandler: null as
    null | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
  permissionCheck: null as null | (() => boolean),
};

export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived(listener: typeof sessionEvents.headersListener): void {
        sessionEvents.headersListener = listener;
      },
    },
    setPermissionRequestHandler(handler: typeof sessionEvents.permissionHandler): void {
      sessionEvents.permissionHandler = handler;
    },
    setPermissionCheckHandler(handler: typeof sessionEvents.permissionCheck): void {
      sessionEvents.permissionCheck = handler;
    },
  },
};
export { sessionEvents };

export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    shell.opened.push(url);
  },
};

export const app = new (class extends EventEmitter {
  isPackaged = false;
  getPath(): string {
    return '/tmp/bucketdrop-fake-user-data';
  }
  getAppPath(): string {
    return process.cwd();
  }
})();

type ProtocolHandler = (request: { url: string }) => Promise<Response> | Response;

export const protocol = {
  registered: [] as unknown[],
  /** What protocol.handle installed, by scheme, so a test can send it a request. */
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    protocol.registered.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    protocol.handlers.set(scheme, handler);
  },
};

/**
 * Electron's utility process, played by a Node child process running the same module: the
 * decoder's entry speaks to either. Records what was forked.
 */
class FakeUtilityProcess extends EventEmitter {
  private readonly child: ChildProcess;
  constructor(entry: string) {
    super();
    this.child = fork(entry, [], {
      execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child.on('message', (message) => this.emit('message', message));
    this.child.on('exit', (code) => this.emit('exit', code ?? 1));
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  postMessage(message: unknown): void {
    this.child.send(message as Serializable);
  }
  kill(): boolean {
    return this.child.kill('SIGKILL');
  }
}

export const utilityProcess = {
  forked: [] as Array<{ entry: string; options: Record<string, unknown> }>,
  fork(entry: string, _args: string[] = [], options: Record<string, unknown> = {}) {
    utilityProcess.forked.push({ entry, options });
    return new FakeUtilityProcess(entry);
  },
};

export const Menu = {
  buildFromTemplate: (template: unknown) => template,
  setApplicationMenu(): void {},
};

export const dialog = {
  async showOpenDialog() {
    return { canceled: true, filePaths: [] };
  },
  async showMessageBox() {
    return { response: 1 };
  },
  showErrorBox(): void {},
};

export class Notification {
  static isSupported(): boolean {
    return false;
  }
  show(): void {}
}

export default {
  app,
  BrowserWindow,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer,
  Menu,
  Notification,
  protocol,
  session,
  shell,
  utilityProcess,
  webUtils,
};
