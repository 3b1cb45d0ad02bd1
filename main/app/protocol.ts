import { promises as fs } from 'node:fs';
import path from 'node:path';
import { protocol } from 'electron';
import { contentTypeFor } from '../transfer/contentType';
import { pageResponseHeaders } from './contentSecurityPolicy';

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

/**
 * One response of the app protocol. The CSP travels here, in the response itself: Electron does
 * not run session.webRequest listeners for custom protocols.
 */
export async function rendererResponse(rendererDir: string, url: string): Promise<Response> {
  const notFound = () =>
    new Response('Not found', { status: 404, headers: pageResponseHeaders('text/plain') });
  const file = resolveAppFile(rendererDir, url);
  if (!file) return notFound();
  try {
    return new Response(await fs.readFile(file), {
      headers: pageResponseHeaders(contentTypeFor(file)),
    });
  } catch {
    return notFound();
  }
}

/** Serves the built renderer from disk, as a web server would, without file:// quirks. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request.url));
}
