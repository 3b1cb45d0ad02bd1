import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE } from '../../preload/contract';
import {
  launchChromium,
  MainHost,
  openApp,
  preloadForBrowser,
  screenshot,
  serveRenderer,
} from '../e2e/harness';
import { tempDir } from '../support/files';
import { localS3 } from '../support/s3env';

let browser: Browser;
let renderer: Awaited<ReturnType<typeof serveRenderer>>;
let preload: string;

beforeAll(async () => {
  renderer = await serveRenderer();
  preload = await preloadForBrowser();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

describe('#13 item 7 in the window: plain http is acknowledged and shown', () => {
  it('asks for the acknowledgement in the editor and shows "Unencrypted" on the connection pill', async () => {
    const s3 = localS3();
    const host = await MainHost.start(tempDir('data'), { AWS_REGION: s3.region });
    const app = await openApp(browser, renderer.url, preload, host);
    try {
      const { page } = app;
      await page.getByTestId('queue').waitFor();
      await page.getByTestId('connections-open').click();
      await page.getByTestId('connection-add').click();
      await page.getByTestId('connection-name').fill('NAS');
      await page.getByTestId('connection-kind').selectOption('access-key');
      await page.getByTestId('connection-access-key').fill('AKIDNAS0000000001');
      await page.getByTestId('connection-secret').fill('nas-secret');
      await page.getByTestId('connection-endpoint').fill('http://192.168.77.1:9000');
      await page.getByTestId('connection-test').click();
      const result = page.getByTestId('connection-test-result');
      await expect.poll(() => result.textContent()).toMatch(/Allow unencrypted http/);
      expect(await result.getAttribute('data-ok')).toBe('false');

      await page.getByTestId('connection-allow-unencrypted').check();
      await page.getByTestId('connection-save').click();
      await expect.poll(() => page.getByTestId('connections-dialog').textContent()).toMatch(/NAS/);
      await page.keyboard.press('Escape');
      expect(await page.getByTestId('connection-unencrypted').count()).toBe(0);
      await page.getByTestId('connection-select').selectOption({ label: 'NAS' });
      await page.getByTestId('connection-unencrypted').waitFor();
      await screenshot(page, 'connection-unencrypted-light');

      // Stored with the connection in main, not only in the page.
      const overview = (await host.invoke(INVOKE.connectionsOverview, null)) as {
        value: { profiles: Array<{ name: string; allowUnencrypted?: boolean }> };
      };
      expect(overview.value.profiles.find((p) => p.name === 'NAS')?.allowUnencrypted).toBe(true);
    } finally {
      await app.context.close();
      await host.kill();
    }
  });
});
