import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy';

/**
 * In development the page comes from the Vite dev server over http, where session.webRequest
 * does run: it gets the same policy plus the dev server's live-reload socket. The packaged app's
 * pages get theirs from the app protocol's responses (protocol.ts).
 */
export function applyDevServerContentSecurityPolicy(devOrigin: string): void {
  const policy = CONTENT_SECURITY_POLICY.replace(
    "connect-src 'self'",
    `connect-src 'self' ${devOrigin.replace(/^http/, 'ws')}`,
  );
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
}

/** The window shows our page only: links open in the browser, nothing navigates or pops up. */
export function lockDownContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function hardenEveryContents(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents, isAppUrl));
}
