import path from 'node:path';
import { BrowserWindow } from 'electron';

/**
 * The renderer is untrusted web content: no Node, its own JavaScript world, Chromium's sandbox.
 * The options are written out in the constructor call so that Electronegativity, which reads
 * the source, sees each of them.
 */
export function createMainWindow(appRoot: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1180,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    title: 'Bucketdrop',
    show: false,
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload: path.join(appRoot, 'dist', 'preload', 'bridge.cjs'),
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
      // A middle click on a link would otherwise ask for a new window; the open handler denies
      // those anyway, and this removes the request at the source.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}
