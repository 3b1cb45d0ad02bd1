import path from 'node:path';
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

/** The renderer is untrusted web content: no Node, its own JavaScript world, Chromium's sandbox. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const satisfies BrowserWindowConstructorOptions['webPreferences'];

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1180,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    title: 'Bucketdrop',
    show: false,
    backgroundColor: '#1e1f22',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath },
  };
}

export function createMainWindow(appRoot: string): BrowserWindow {
  const window = new BrowserWindow(
    mainWindowOptions(path.join(appRoot, 'dist', 'preload', 'bridge.cjs')),
  );
  window.once('ready-to-show', () => window.show());
  return window;
}
