import { APP_ORIGIN } from './protocol';

/**
 * The Vite dev server's origin, from BUCKETDROP_DEV_SERVER_URL, only in an unpackaged build: a
 * packaged app ignores it, so an environment variable cannot point an installed app (and its
 * IPC trust) at another page. Null when unset, packaged, or not an http(s) URL.
 */
export function devServerOrigin(value: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Whether a URL is one of our pages: the app protocol, or the dev server's exact origin (never
 * a prefix match, which `http://localhost:5173.evil.example` would pass).
 */
export function isTrustedPageUrl(url: string, devOrigin: string | null): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Node's URL gives custom schemes a "null" origin, so compare scheme and host for ours.
  if (`${parsed.protocol}//${parsed.host}` === APP_ORIGIN) return true;
  return devOrigin !== null && parsed.origin === devOrigin;
}
