import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { InvokeChannel } from '../../preload/contract';
import { APP_ORIGIN, rendererResponse } from '../../main/app/protocol';
import { REPO_ROOT } from '../support/s3env';
import type { NativeQuestion } from '../../main/ipc/confirmations';
import type { HostMessage, HostRequest } from './mainHost';

export const RENDERER_DIR = path.join(REPO_ROOT, 'dist', 'renderer');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

/** The real preload, bundled for a plain page with Electron's IPC swapped for test bindings. */
export async function preloadForBrowser(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, 'preload', 'bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    alias: { electron: path.join(REPO_ROOT, 'tests', 'e2e', 'browserElectron.ts') },
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

/**
 * Serves the built renderer over http through the app protocol's own handler code, so the page
 * gets exactly the status, headers (CSP, nosniff) and bytes that app:// would give it.
 */
export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const answer = await rendererResponse(RENDERER_DIR, `${APP_ORIGIN}${pathname}`);
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The stand-in main process, which a test can kill -9 and start again on the same data. */
export class MainHost {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private eventSink: ((channel: string, payload: unknown) => void) | null = null;
  /** What the next native open dialog answers. */
  dialogAnswer: string[] | null = null;
  /** What the next native save dialog answers, and the file names it was offered. */
  saveDialogAnswer: string | null = null;
  readonly saveDialogNames: string[] = [];
  /** What main's "download to folder" dialog answers. */
  downloadFolderAnswer: string | null = null;
  /** What the user answers main's native questions (confirmations), and the questions asked. */
  confirmAnswer = true;
  readonly confirmQuestions: NativeQuestion[] = [];
  readonly events: Array<{ channel: string; payload: unknown; at: number }> = [];
  /** Everything the process printed. */
  output = '';

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: HostMessage) => this.receive(message));
  }

  static async start(
    dataDir: string,
    env: Record<string, string>,
    wrapper: string[] = [],
  ): Promise<MainHost> {
    const command = [
      ...wrapper,
      process.execPath,
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'tests', 'e2e', 'mainHost.ts'),
    ];
    const child = spawn(command[0]!, command.slice(1), {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        ...env,
        BUCKETDROP_E2E_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const host = new MainHost(child);
    // Kept for scanning (no secret may be logged) and echoed for debugging.
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', (chunk: Buffer) => {
        host.output += chunk.toString();
        process.stderr.write(chunk);
      });
    }
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: HostMessage) => {
        if (message.type !== 'ready') return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`main host exited with ${code}`)));
    });
    return host;
  }

  invoke(channel: InvokeChannel, payload: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ type: 'invoke', id, channel, payload } satisfies HostRequest);
    });
  }

  attach(sink: (channel: string, payload: unknown) => void): void {
    this.eventSink = sink;
  }

  kill(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }

  private receive(message: HostMessage): void {
    if (message.type === 'result') {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.type === 'event') {
      this.events.push({ channel: message.channel, payload: message.payload, at: Date.now() });
      this.eventSink?.(message.channel, message.payload);
    } else if (message.type === 'pick') {
      this.child.send({ type: 'pick-answer', paths: this.dialogAnswer } satisfies HostRequest);
    } else if (message.type === 'save') {
      this.saveDialogNames.push(message.defaultName);
      this.child.send({ type: 'save-answer', path: this.saveDialogAnswer } satisfies HostRequest);
    } else if (message.type === 'pick-download-folder') {
      this.child.send({
        type: 'download-folder-answer',
        folder: this.downloadFolderAnswer,
      } satisfies HostRequest);
    } else if (message.type === 'confirm') {
      this.confirmQuestions.push(message.question);
      this.child.send({ type: 'confirm-answer', agreed: this.confirmAnswer } satisfies HostRequest);
    }
  }
}

export interface IpcRecord {
  direction: 'to-main' | 'to-page';
  channel: string;
  json: string;
}

export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** Every message between page and main, as the spy in a preload would see it. */
  traffic: IpcRecord[];
  /** Swaps the main process the page talks to, as after a crash and relaunch. */
  useHost(host: MainHost): void;
}

/** Opens the built renderer with the real preload bundle bound to a main host. */
export async function openApp(
  browser: Browser,
  rendererUrl: string,
  preloadBundle: string,
  host: MainHost,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<AppPage> {
  const context = await browser.newContext({
    colorScheme,
    viewport: { width: 1180, height: 760 },
  });
  const page = await context.newPage();
  let current = host;
  const traffic: IpcRecord[] = [];
  const attach = (target: MainHost) =>
    target.attach((channel, payload) => {
      traffic.push({ direction: 'to-page', channel, json: JSON.stringify(payload) });
      void page
        .evaluate(
          ([c, p]) =>
            (
              window as unknown as { __bucketdropEmit?: (c: string, p: unknown) => void }
            ).__bucketdropEmit?.(c as string, p),
          [channel, payload] as const,
        )
        .catch(() => undefined);
    });
  attach(host);
  await page.exposeBinding(
    '__bucketdropInvoke',
    async (_source, channel: InvokeChannel, payload: unknown) => {
      traffic.push({ direction: 'to-main', channel, json: JSON.stringify(payload) ?? '' });
      const result = await current.invoke(channel, payload);
      traffic.push({ direction: 'to-page', channel, json: JSON.stringify(result) });
      return result;
    },
  );
  await page.addInitScript({ content: preloadBundle });
  await page.goto(rendererUrl);
  return {
    page,
    context,
    traffic,
    useHost(next: MainHost) {
      current = next;
      attach(next);
    },
  };
}

/** Drops files or folders on the window, as the OS would, with the paths Electron would resolve. */
export async function dropPaths(page: Page, paths: string[]): Promise<void> {
  const entries = paths.map((p) => [path.basename(p), p] as const);
  await page.evaluate((pairs) => {
    const target = window as unknown as { __bucketdropDropPaths?: Record<string, string> };
    target.__bucketdropDropPaths = Object.fromEntries(pairs);
    const transfer = new DataTransfer();
    for (const [name] of pairs) transfer.items.add(new File([''], name));
    const init = { dataTransfer: transfer, bubbles: true, cancelable: true };
    document.body.dispatchEvent(new DragEvent('dragenter', init));
    document.body.dispatchEvent(new DragEvent('dragover', init));
    document.body.dispatchEvent(new DragEvent('drop', init));
  }, entries);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(path.join(ARTIFACTS_DIR, 'screenshots'), { recursive: true });
  await page.screenshot({
    path: path.join(ARTIFACTS_DIR, 'screenshots', `${name}.png`),
    animations: 'disabled',
  });
}
