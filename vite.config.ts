import { defineConfig, type Plugin } from 'vite';
import { CSP_META_TAG } from './main/app/contentSecurityPolicy.ts';

/** Writes the app protocol's own policy into the page, so the meta and the header are one text. */
const contentSecurityPolicyMeta: Plugin = {
  name: 'bucketdrop-csp-meta',
  transformIndexHtml: (html) => html.replace('<meta charset="UTF-8" />', `$&\n    ${CSP_META_TAG}`),
};

/** The renderer only: main and preload are bundled separately and never pass through Vite. */
export default defineConfig(({ command, mode }) => {
  // Test runners export NODE_ENV=test and Vite keeps it, which would bundle React's development
  // build and development JSX, several times slower. Vite reads it after loading this file.
  if (command === 'build' && mode === 'production' && process.env.NODE_ENV !== 'development') {
    process.env.NODE_ENV = 'production';
  }
  return {
    root: 'renderer',
    plugins: [contentSecurityPolicyMeta],
    // Relative asset URLs, because Electron loads the built page from a file:// path.
    base: './',
    build: {
      outDir: '../dist/renderer',
      emptyOutDir: true,
      // Electron's Chromium supports modulepreload natively; the polyfill would be dead weight.
      modulePreload: { polyfill: false },
    },
    server: { host: '127.0.0.1', port: 5173, strictPort: true },
    preview: { host: '127.0.0.1', strictPort: true },
  };
});
