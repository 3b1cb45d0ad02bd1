import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DownloadSelection, Result } from '../../preload/contract';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy';
import { sha256, tempDir } from '../support/files';
import { checkingClient, freshBucket } from '../support/s3env';
import { describeEachServer } from '../support/servers';
import {
  type AppPage,
  launchChromium,
  MainHost,
  openApp,
  preloadForBrowser,
  screenshot,
  serveRenderer,
} from './harness';

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

describeEachServer('downloads in the queue, in Chromium, on the real engine', (s3) => {
  const client = checkingClient(s3);
  let host: MainHost;
  let app: AppPage;
  let proxy: FaultProxy;

  beforeAll(async () => {
    proxy = await startFaultProxy(s3.endpoint);
    host = await MainHost.start(tempDir('data'), s3.env);
    app = await openApp(browser, renderer.url, preload, host, 'dark');
    await app.page.getByTestId('queue').waitFor();
  });

  afterAll(async () => {
    await app?.context.close();
    await host?.kill();
    await proxy?.close();
  });

  function download(selection: DownloadSelection) {
    return app.page.evaluate(
      (request) => window.bucketdrop.downloadObjects(request),
      selection,
    ) as Promise<Result<{ batchIds: string[] } | null>>;
  }

  it('a prefix picked from the page lands in the folder main asked for, shown as downloads', async () => {
    const bucket = await freshBucket(client, 'e2e-download');
    const objects: Record<string, Buffer> = {
      'shoot/day 1/a #1.jpg': randomBytes(200_000),
      'shoot/b.jpg': randomBytes(50_000),
    };
    for (const [key, body] of Object.entries(objects)) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    }

    host.downloadFolderAnswer = null;
    expect(await download({ bucket, keys: [], prefixes: ['shoot/'] })).toEqual({
      ok: true,
      value: null,
    });

    const folder = tempDir('e2e-downloads');
    host.downloadFolderAnswer = folder;
    const started = await download({ bucket, keys: [], prefixes: ['shoot/'] });
    expect(started).toMatchObject({ ok: true, value: { batchIds: [expect.any(String)] } });

    const rows = app.page.locator('[data-testid="queue-row"][data-direction="download"]');
    await expect.poll(() => rows.and(app.page.locator('[data-state="done"]')).count()).toBe(2);
    await expect
      .poll(() => rows.filter({ hasText: 'b.jpg' }).locator('.row-key').textContent())
      .toBe(`shoot/b.jpg → to ${path.join(folder, 'shoot')}`);
    await screenshot(app.page, `downloads-dark-${s3.name}`);
    for (const [key, body] of Object.entries(objects)) {
      expect(sha256(readFileSync(path.join(folder, ...key.split('/'))))).toBe(sha256(body));
    }
  });

  it('a download cut by a crash resumes from its partial file on the next launch', async () => {
    const bucket = await freshBucket(client, 'e2e-download-crash');
    const body = randomBytes(8 * 1024 * 1024);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'big.tif', Body: body }));
    proxy.addRule({
      match: (request) => request.operation === 'GetObject',
      fault: 'stall',
      afterBytes: 3 * 1024 * 1024,
      delayMs: 60_000,
    });
    const dataDir = tempDir('data-crash');
    const folder = tempDir('e2e-crash-downloads');
    const first = await MainHost.start(dataDir, { ...s3.env, AWS_ENDPOINT_URL: proxy.url });
    first.downloadFolderAnswer = folder;
    const crashing = await openApp(browser, renderer.url, preload, first);
    await crashing.page.getByTestId('queue').waitFor();
    await crashing.page.evaluate((request) => window.bucketdrop.downloadObjects(request), {
      bucket,
      keys: ['big.tif'],
      prefixes: [],
    });
    const partial = path.join(folder, 'big.tif.bucketdrop-partial');
    await expect.poll(() => existsSync(partial) && statSync(partial).size > 0).toBe(true);
    await first.kill();
    await crashing.context.close();
    proxy.clearRules();

    const second = await MainHost.start(dataDir, s3.env);
    try {
      const relaunched = await openApp(browser, renderer.url, preload, second);
      const row = relaunched.page.locator('[data-testid="queue-row"][data-direction="download"]');
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
      expect(sha256(readFileSync(path.join(folder, 'big.tif')))).toBe(sha256(body));
      expect(existsSync(partial)).toBe(false);
      expect(second.events.map((event) => JSON.stringify(event.payload))).toContainEqual(
        expect.stringContaining('Resuming 1 unfinished download from last time.'),
      );
      await relaunched.context.close();
    } finally {
      await second.kill();
    }
  });
});
