/**
 * The page's Content-Security-Policy, in one place: the app protocol sends it as a header and
 * the build writes the same text into index.html's meta tag (vite.config.ts), so neither can
 * drift. No eval, no remote code, no <base> rewriting, no form posts, no plugins.
 * Free of Electron so that Vite and the test harness can import it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every page resource is served with; nosniff stops a served file being run as script. */
export function pageResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
  };
}

/** The meta tag the build puts first in index.html's head. */
export const CSP_META_TAG = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
