import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, tempDir, writeRandomFile } from '../support/files';
import { checkingClient, freshBucket, localS3, objectBytes } from '../support/s3env';
import {
  type AppPage,
  launchChromium,
  MainHost,
  openApp,
  preloadForBrowser,
  screenshot,
  serveRenderer,
} from './harness';

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let browser: Browser;
let renderer: Awaited<ReturnType<typeof serveRenderer>>;
let preload: string;

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  renderer = await serveRenderer();
  preload = await preloadForBrowser();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

/** Every file under a folder, as text, for scanning. */
function filesUnder(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => ({ file, text: readFileSync(file).toString('latin1') }));
}

/** The secret as it could leak: plain, base64 or hex. */
function secretForms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')];
}

describe('connections in the window', () => {
  it('adds an access-key connection, tests it, uploads and browses with it, and never shows its secret', async () => {
    const secret = s3.keyringSecretAccessKey;
    const bucket = await freshBucket(client, 'keyring');
    const dataDir = tempDir('data');
    // No credentials in the environment: only the connection can make this upload work.
    const host = await MainHost.start(dataDir, {
      AWS_REGION: s3.region,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_ENDPOINT_URL: '',
    });
    let app: AppPage | undefined;
    try {
      app = await openApp(browser, renderer.url, preload, host);
      const { page } = app;
      await page.getByTestId('queue').waitFor();

      await page.getByTestId('connections-open').click();
      await page.getByTestId('connection-add').click();
      await page.getByTestId('connection-name').fill('Studio Swift');
      await page.getByTestId('connection-kind').selectOption('access-key');
      await page.getByTestId('connection-access-key').fill(s3.keyringAccessKeyId);
      await page.getByTestId('connection-secret').fill(secret);
      await page.getByTestId('connection-endpoint').fill(s3.endpoint);
      await page.getByTestId('connection-region').fill(s3.region);
      await page.getByTestId('connection-path-style').check();
      await page.getByTestId('connection-checksum').selectOption('WHEN_REQUIRED');
      await page.getByTestId('connection-test').click();
      const result = page.getByTestId('connection-test-result');
      await expect.poll(() => result.getAttribute('data-ok')).toBe('true');
      await screenshot(page, 'connection-tested-light');
      await page.getByTestId('connection-save').click();
      await expect
        .poll(() => page.getByTestId('connections-dialog').textContent())
        .toMatch(/Studio Swift/);
      await page.keyboard.press('Escape');

      await page.getByTestId('connection-select').selectOption({ label: 'Studio Swift' });
      const bucketSelect = page.getByTestId('bucket-select');
      await expect.poll(() => bucketSelect.locator(`option[value="${bucket}"]`).count()).toBe(1);
      await bucketSelect.selectOption(bucket);
      const folder = path.join(tempDir('keyring'), 'Portraits');
      const data = writeRandomFile(path.join(folder, 'portrait.jpg'), 300_000);
      host.dialogAnswer = [folder];
      await page.getByTestId('add-folder').click();
      await page.getByTestId('preflight-start').click();
      await page.locator('[data-testid="queue-row"][data-state="done"]').waitFor();
      expect(sha256(await objectBytes(client, bucket, 'Portraits/portrait.jpg'))).toBe(
        sha256(data),
      );

      // Browsing with the connection: listing, details, thumbnails and a presigned link.
      await page.getByTestId('view-browse').click();
      await page.getByTestId('browse-bucket-select').selectOption(bucket);
      await page.getByTestId('browse-row').filter({ hasText: 'Portraits' }).dblclick();
      await page.getByTestId('browse-row').filter({ hasText: 'portrait.jpg' }).click();
      await expect
        .poll(() => page.getByTestId('details-size').textContent())
        .toMatch(/300,000 bytes/);
      await page.getByTestId('browse-layout-grid').click();
      await page.getByTestId('browse-copy-link').click();
      await expect.poll(() => page.getByTestId('link-url').inputValue()).toMatch(/X-Amz-Signature/);
      await page.keyboard.press('Escape');

      // The typed secret goes to main once per save or test; nothing ever brings it back.
      const leaks = app.traffic.filter((record) =>
        secretForms(secret).some((form) => record.json.includes(form)),
      );
      expect(
        leaks.every(
          (record) =>
            record.direction === 'to-main' &&
            ['bucketdrop:connections:save', 'bucketdrop:connections:test'].includes(record.channel),
        ),
      ).toBe(true);
      expect(app.traffic.filter((record) => record.direction === 'to-page')).not.toHaveLength(0);
      const pageText = await page.evaluate(
        () =>
          document.documentElement.outerHTML +
          JSON.stringify(Object.entries(localStorage)) +
          JSON.stringify(Object.entries(sessionStorage)),
      );
      for (const form of secretForms(secret)) expect(pageText).not.toContain(form);
      for (const form of secretForms(secret)) expect(host.output).not.toContain(form);
      const stored = filesUnder(dataDir);
      expect(stored.map((f) => path.basename(f.file))).toContain('secrets.json');
      for (const { file, text } of stored) {
        for (const form of secretForms(secret)) expect(text, file).not.toContain(form);
      }
    } finally {
      await app?.context.close();
      await host.kill();
    }
  });

  it('explains a wrong secret precisely in the test result', async () => {
    const dataDir = tempDir('data');
    const host = await MainHost.start(dataDir, { AWS_REGION: s3.region });
    const app = await openApp(browser, renderer.url, preload, host, 'dark');
    try {
      const { page } = app;
      await page.getByTestId('queue').waitFor();
      await page.getByTestId('connections-open').click();
      await page.getByTestId('connection-add').click();
      await page.getByTestId('connection-name').fill('Typo');
      await page.getByTestId('connection-kind').selectOption('access-key');
      await page.getByTestId('connection-access-key').fill(s3.accessKeyId);
      await page.getByTestId('connection-secret').fill('not-the-secret');
      await page.getByTestId('connection-endpoint').fill(s3.endpoint);
      await page.getByTestId('connection-region').fill(s3.region);
      await page.getByTestId('connection-test').click();
      const result = page.getByTestId('connection-test-result');
      await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
      expect(await result.textContent()).toMatch(/access key ID.*secret/);
      await screenshot(page, 'connection-failed-dark');
    } finally {
      await app.context.close();
      await host.kill();
    }
  });
});
