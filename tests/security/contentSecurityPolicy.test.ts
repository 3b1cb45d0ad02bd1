import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../main/app/contentSecurityPolicy';
import { APP_ORIGIN, serveRenderer as serveAppProtocol } from '../../main/app/protocol';
import { launchChromium, RENDERER_DIR, serveRenderer } from '../e2e/harness';
import { protocol } from '../support/fakeElectron';

/** What the handler that the app installs with protocol.handle('app') answers for a URL. */
async function appProtocolResponse(url: string): Promise<Response> {
  serveAppProtocol(RENDERER_DIR);
  return protocol.handlers.get('app')!({ url });
}

describe('#13 item 3: the Content-Security-Policy is really sent', () => {
  it('comes in the app protocol’s own response, with nosniff, for pages and for misses', async () => {
    for (const url of [`${APP_ORIGIN}/index.html`, `${APP_ORIGIN}/no-such-file.js`]) {
      const response = await appProtocolResponse(url);
      expect(response.headers.get('Content-Security-Policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('X-Content-Type-Options'), url).toBe('nosniff');
    }
    for (const directive of [
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]) {
      expect(CONTENT_SECURITY_POLICY).toContain(directive);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:/);
  });

  it('is the same text in the built page’s meta tag', () => {
    const html = readFileSync(path.join(RENDERER_DIR, 'index.html'), 'utf8');
    const metas = [...html.matchAll(/http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
    expect(metas.map((match) => match[1])).toEqual([CONTENT_SECURITY_POLICY]);
  });

  describe('in Chromium, on the page served by the handler', () => {
    let browser: Browser;
    let renderer: Awaited<ReturnType<typeof serveRenderer>>;
    beforeAll(async () => {
      renderer = await serveRenderer();
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await renderer?.close();
    });

    it('refuses an injected <base> and an inline script', async () => {
      const page = await browser.newPage();
      const response = await page.goto(renderer.url);
      expect(response!.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      const probe = await page.evaluate(async () => {
        const violations: string[] = [];
        document.addEventListener('securitypolicyviolation', (event) =>
          violations.push(event.effectiveDirective),
        );
        const base = document.createElement('base');
        base.href = 'https://evil.example/';
        document.head.prepend(base);
        const script = document.createElement('script');
        script.textContent = 'window.__injectedRan = true;';
        document.head.append(script);
        await new Promise((resolve) => setTimeout(resolve, 200));
        return {
          baseURI: document.baseURI,
          ran: (window as unknown as { __injectedRan?: boolean }).__injectedRan === true,
          violations,
        };
      });
      expect(probe.baseURI).toBe(renderer.url);
      expect(probe.ran).toBe(false);
      expect(probe.violations).toEqual(expect.arrayContaining(['base-uri', 'script-src-elem']));
      await page.close();
    });
  });
});
