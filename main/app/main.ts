import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { app, dialog, Notification, safeStorage } from 'electron';
import { EVENTS } from '../../preload/contract';
import { sendEvent } from '../ipc/events';
import { CHECKSUM_MEMORY_FILE, ChecksumMemory } from '../credentials/checksumMemory';
import { Connections } from '../credentials/connections';
import type { NativeQuestion } from '../ipc/confirmations';
import { appHandlers } from '../ipc/handlers';
import { registerIpcHandlers } from '../ipc/register';
import { ownWindowOnly } from '../ipc/senders';
import { type AppServices, createAppServices } from '../service/appServices';
import { ConnectionService } from '../service/connectionService';
import { SettingsStore } from '../service/settings';
import { createAppImageDecoder } from './imageDecoderProcess';
import { installApplicationMenu } from './menu';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './protocol';
import { notificationBody } from './notificationText';
import { askBeforeQuitting } from './quit';
import {
  applyDevServerContentSecurityPolicy,
  denyPermissions,
  hardenEveryContents,
} from './security';
import { devServerOrigin, isTrustedPageUrl } from './trustedOrigin';
import { createMainWindow } from './window';

const devOrigin = devServerOrigin(process.env.BUCKETDROP_DEV_SERVER_URL, app.isPackaged);
const appRoot = app.getAppPath();
const isAppUrl = (url: string) => isTrustedPageUrl(url, devOrigin);

/** Parts in flight can be set up to 64; listings and HEADs need a few more. */
const MAX_SOCKETS = 64 + 16;

let mainWindow: BrowserWindow | null = null;
let services: AppServices | null = null;
let quitting = false;

async function pickPaths(kind: 'files' | 'folder'): Promise<string[] | null> {
  const options = {
    title: kind === 'files' ? 'Add files to upload' : 'Add folders to upload',
    properties:
      kind === 'files'
        ? (['openFile', 'multiSelections'] as const)
        : (['openDirectory', 'multiSelections'] as const),
  };
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, { ...options, properties: [...options.properties] })
    : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
  return result.canceled ? null : result.filePaths;
}

async function pickSaveFile(defaultName: string): Promise<string | null> {
  const options = { title: 'Export the audit log', defaultPath: defaultName };
  const result = mainWindow
    ? await dialog.showSaveDialog(mainWindow, options)
    : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

async function pickDownloadFolder(): Promise<string | null> {
  const options = {
    title: 'Download to folder',
    buttonLabel: 'Download here',
    properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>,
  };
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** Main's own question, in a native dialog the page can neither draw nor answer. */
async function askInNativeDialog(question: NativeQuestion): Promise<boolean> {
  const options = {
    type: 'warning' as const,
    title: question.title,
    message: question.message,
    detail: question.detail,
    buttons: ['Cancel', question.confirmLabel],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const { response } = mainWindow
    ? await dialog.showMessageBox(mainWindow, options)
    : await dialog.showMessageBox(options);
  return response === 1;
}

function showProgressInTaskbar(ratio: number | null): void {
  mainWindow?.setProgressBar(ratio === null ? -1 : ratio);
}

async function start(): Promise<void> {
  if (devOrigin) applyDevServerContentSecurityPolicy(devOrigin);
  denyPermissions();
  serveRenderer(path.join(appRoot, 'dist', 'renderer'));
  installApplicationMenu(!app.isPackaged);
  const dataDir = app.getPath('userData');
  const settings = await SettingsStore.open(dataDir);
  // Secrets are encrypted with the OS keychain through safeStorage and never leave this process.
  const connections = new ConnectionService(
    new Connections(dataDir, safeStorage),
    settings,
    MAX_SOCKETS,
    new ChecksumMemory(path.join(dataDir, CHECKSUM_MEMORY_FILE)),
  );
  services = await createAppServices({
    dataDir,
    settings,
    connections,
    pickPaths,
    pickSaveFile,
    pickDownloadFolder,
    imageDecoder: createAppImageDecoder(appRoot),
    onProgress: (snapshot) => {
      sendEvent(mainWindow?.webContents ?? null, EVENTS.progress, snapshot);
      const { overall } = snapshot;
      const busy = overall.filesActive > 0 && overall.bytesTotal > 0;
      showProgressInTaskbar(busy ? overall.bytesDone / overall.bytesTotal : null);
    },
    onNotice: (notice) => {
      sendEvent(mainWindow?.webContents ?? null, EVENTS.notice, notice);
      if (notice.kind !== 'restored' && Notification.isSupported()) {
        new Notification({
          title: 'Bucketdrop',
          body: notificationBody(notice.message, process.platform),
        }).show();
      }
    },
  });
  registerIpcHandlers(
    appHandlers(services, { dataDir, ask: askInNativeDialog }),
    ownWindowOnly(() => mainWindow, isAppUrl),
  );
  openWindow();
}

/** Quits once the user agrees (when uploads are running), pausing them for the next launch. */
async function requestQuit(): Promise<void> {
  if (services?.hasActiveWork() && (await askBeforeQuitting(mainWindow)) === 'keep-uploading') {
    return;
  }
  quitting = true;
  await services?.shutdown();
  app.quit();
}

function openWindow(): void {
  mainWindow = createMainWindow(appRoot);
  mainWindow.on('closed', () => (mainWindow = null));
  // Closing the last window quits on Windows and Linux, so it asks first; on macOS the app
  // keeps uploading without a window, as the dock's progress shows.
  mainWindow.on('close', (event) => {
    if (quitting || process.platform === 'darwin') return;
    event.preventDefault();
    void requestQuit();
  });
  void mainWindow.loadURL(devOrigin ? `${devOrigin}/` : `${APP_ORIGIN}/index.html`);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  hardenEveryContents(isAppUrl);
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!mainWindow && services) openWindow();
  });
  app.on('before-quit', (event) => {
    if (quitting || !services) return;
    event.preventDefault();
    void requestQuit();
  });
  app.whenReady().then(start, (error: unknown) => {
    dialog.showErrorBox('Bucketdrop could not start', String(error));
    app.exit(1);
  });
}
