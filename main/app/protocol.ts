import { promises as fs } from 'node:fs';
import path from 'node:path';
import { protocol } from 'electron';
import { contentTypeFor } from '../transfer/contentType';

export const APP_SCHEME = 'app';
const APP_HOST = 'bucketdrop';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Must run before the app is ready, so that the scheme gets a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Resolves a request to a file inside the renderer folder, or null for anything outside it. */
export function resolveAppFile(rendererDir: string, url: string): string | null {
  // Node's URL gives custom schemes a "null" origin, so compare the parts.
  const { pathname, protocol: scheme, host } = new URL(url);
  if (scheme !== `${APP_SCHEME}:` || host !== APP_HOST) return null;
  const relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  const file = path.resolve(rendererDir, `.${relative}`);
  return file.startsWith(rendererDir + path.sep) ? file : null;
}

/** Serves the built renderer from disk, as a web server would, without file:// quirks. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      return new Response(await fs.readFile(file), {
        headers: { 'Content-Type': contentTypeFor(file) },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
