import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate } from '../../main/app/menu';
import { APP_ORIGIN, resolveAppFile } from '../../main/app/protocol';
import {
  applyDevServerContentSecurityPolicy,
  denyPermissions,
  lockDownContents,
} from '../../main/app/security';
import { createMainWindow } from '../../main/app/window';
import { BrowserWindow, FakeWebContents, sessionEvents, shell } from '../support/fakeElectron';

describe('main window', () => {
  it('isolates the renderer from Node', () => {
    createMainWindow('/app');
    const { options } = BrowserWindow.created.at(-1)!;
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/dist/preload/bridge.cjs',
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('lets only the dev server’s live-reload socket through in development', () => {
    applyDevServerContentSecurityPolicy('http://127.0.0.1:5173');
    let headers: Record<string, string[]> = {};
    sessionEvents.headersListener!({}, (response) => {
      headers = response.responseHeaders;
    });
    expect(headers['Content-Security-Policy']![0]).toContain(
      "connect-src 'self' ws://127.0.0.1:5173;",
    );
    expect(headers['Content-Security-Policy']![0]).toContain("script-src 'self';");
  });

  it('blocks navigation away from the app and every new window', () => {
    const contents = new FakeWebContents();
    lockDownContents(contents as never, (url) => url.startsWith(`${APP_ORIGIN}/`));
    const attempt = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(attempt('https://evil.example/')).toBe(true);
    expect(attempt('file:///etc/passwd')).toBe(true);
    expect(attempt(`${APP_ORIGIN}/index.html`)).toBe(false);
    expect(contents.windowOpenHandler!({ url: 'https://docs.aws.amazon.com/' })).toEqual({
      action: 'deny',
    });
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://docs.aws.amazon.com/']);
  });

  it('denies every permission request', () => {
    denyPermissions();
    let granted: boolean | null = null;
    sessionEvents.permissionHandler!(null, 'media', (answer) => (granted = answer));
    expect(granted).toBe(false);
    expect(sessionEvents.permissionCheck!()).toBe(false);
  });

  it('serves only files inside the renderer folder', () => {
    expect(resolveAppFile('/app/r', `${APP_ORIGIN}/`)).toBe('/app/r/index.html');
    expect(resolveAppFile('/app/r', `${APP_ORIGIN}/assets/a.js`)).toBe('/app/r/assets/a.js');
    expect(resolveAppFile('/app/r', `${APP_ORIGIN}/..%2F..%2Fetc%2Fpasswd`)).toBeNull();
    expect(resolveAppFile('/app/r', 'app://elsewhere/index.html')).toBeNull();
  });

  it('has a menu built from standard roles', () => {
    const template = applicationMenuTemplate('darwin', false);
    expect(template.map((item) => item.role ?? item.label)).toEqual([
      'appMenu',
      'fileMenu',
      'editMenu',
      'View',
      'windowMenu',
    ]);
  });
});
