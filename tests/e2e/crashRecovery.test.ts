import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256, tempDir, writeRandomFile } from '../support/files';
import { allKeys, checkingClient, freshBucket, localS3, objectBytes } from '../support/s3env';
import {
  type AppPage,
  dropPaths,
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
const hosts: MainHost[] = [];
const pages: AppPage[] = [];

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  renderer = await serveRenderer();
  preload = await preloadForBrowser();
  browser = await launchChromium();
});

afterEach(async () => {
  await Promise.all(pages.splice(0).map((app) => app.context.close()));
  await Promise.all(hosts.splice(0).map((host) => host.kill()));
});

afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

async function startHost(dataDir: string): Promise<MainHost> {
  const host = await MainHost.start(dataDir, s3.env);
  hosts.push(host);
  return host;
}

describe('crash recovery in the app', () => {
  it('brings back a dropped folder after a kill -9 before it was started: "Interrupted while preparing N files · Resume"', async () => {
    const bucket = await freshBucket(client, 'preparing');
    const dataDir = tempDir('data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({ destination: { bucket, prefix: 'shoots/' } }),
    );
    const folder = path.join(tempDir('preparing'), 'Holiday');
    const files = new Map<string, Buffer>();
    for (let i = 0; i < 30; i++) {
      const name = `IMG_${String(i).padStart(4, '0')}.jpg`;
      files.set(`shoots/Holiday/${name}`, writeRandomFile(path.join(folder, name), 1000 + i));
    }
    const first = await startHost(dataDir);
    const app = await openApp(browser, renderer.url, preload, first);
    pages.push(app);
    await app.page.getByTestId('queue').waitFor();
    await dropPaths(app.page, [folder]);
    await expect.poll(() => app.page.getByTestId('preflight').textContent()).toMatch(/30 files/);
    // The app dies before Start: the old journal knew nothing of the drop.
    await first.kill();

    const second = await startHost(dataDir);
    app.useHost(second);
    await app.page.reload();
    const row = app.page.getByTestId('row-preparing');
    await expect
      .poll(() => row.textContent())
      .toBe('Interrupted while preparing 30 files · Resume');
    await screenshot(app.page, 'interrupted-while-preparing');
    expect(await allKeys(client, bucket)).toEqual([]);
    await row.getByRole('button', { name: 'Resume' }).click();
    // The queue draws only the rows in view: the bucket is the count that matters.
    await expect
      .poll(async () => (await allKeys(client, bucket)).length, { timeout: 60_000 })
      .toBe(30);
    await expect
      .poll(() => app.page.locator('[data-testid="queue-row"][data-state="done"]').count())
      .toBeGreaterThan(0);
    expect(await app.page.getByTestId('row-preparing').count()).toBe(0);
    expect((await allKeys(client, bucket)).sort()).toEqual([...files.keys()].sort());
    for (const [key, data] of files) {
      expect(sha256(await objectBytes(client, bucket, key))).toBe(sha256(data));
    }
  });
});
