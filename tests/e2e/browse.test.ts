import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/files';
import {
  allKeys,
  checkingClient,
  freshBucket,
  localS3,
  objectBytes,
  REPO_ROOT,
} from '../support/s3env';
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

const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let browser: Browser;
let renderer: Awaited<ReturnType<typeof serveRenderer>>;
let preload: string;
let bucket: string;
const hosts: MainHost[] = [];
const pages: AppPage[] = [];

/** Solid-colour photos, so a thumbnail's colour tells which object it was made from. */
const IMAGES: Record<string, { color: string; format: 'jpeg' | 'png' }> = {
  'gallery/2024/a red.jpg': { color: '#d02020', format: 'jpeg' },
  'gallery/2024/b green #2.png': { color: '#20b040', format: 'png' },
  'gallery/2024/c blue.jpg': { color: '#2040d0', format: 'jpeg' },
};

async function image(color: string, format: 'jpeg' | 'png'): Promise<Buffer> {
  const base = sharp({ create: { width: 900, height: 600, channels: 3, background: color } });
  return format === 'png' ? base.png().toBuffer() : base.jpeg().toBuffer();
}

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  bucket = await freshBucket(client, 'e2e-browse');
  const put = (Key: string, Body: Buffer | string, ContentType?: string) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType }));
  await Promise.all([
    ...Object.entries(IMAGES).map(async ([key, { color, format }]) =>
      put(key, await image(color, format), `image/${format}`),
    ),
    put('gallery/2024/notes.txt', 'shot list', 'text/plain'),
    put('gallery/2024/raw/IMG_0001.cr3', 'raw bytes'),
    put('gallery/cover.jpg', await image('#e0a000', 'jpeg'), 'image/jpeg'),
    put('readme.txt', 'hello'),
  ]);
  renderer = await serveRenderer();
  preload = await preloadForBrowser();
  browser = await launchChromium();
}, 120_000);

afterEach(async () => {
  await Promise.all(pages.splice(0).map((app) => app.context.close()));
  await Promise.all(hosts.splice(0).map((host) => host.kill()));
});

afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

async function openBrowser(scheme: 'light' | 'dark' = 'light'): Promise<AppPage> {
  const dataDir = tempDir('data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({ destination: { bucket, prefix: '' }, checksumMode: 'WHEN_REQUIRED' }),
  );
  const host = await MainHost.start(dataDir, s3.env);
  hosts.push(host);
  const app = await openApp(browser, renderer.url, preload, host, scheme);
  pages.push(app);
  await app.page.getByTestId('queue').waitFor();
  await app.page.getByTestId('view-browse').click();
  await app.page.getByTestId('browse-list').waitFor();
  return app;
}

function rowNames(page: Page): Promise<string[]> {
  return page
    .getByTestId('browse-row')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-name') ?? ''));
}

/** The README's screenshots are refreshed on request only (`npm run screenshots`), so a test
 * run leaves the checked-in files alone. */
async function shot(page: Page, name: string): Promise<void> {
  if (!process.env.BUCKETDROP_UPDATE_SCREENSHOTS) return screenshot(page, name);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), animations: 'disabled' });
}

/** The mean colour of a thumbnail, decoded from the data: URL the page shows. */
async function thumbnailColor(src: string): Promise<[number, number, number]> {
  const data = Buffer.from(src.replace(/^data:image\/webp;base64,/, ''), 'base64');
  const stats = await sharp(data).stats();
  return [stats.channels[0]!.mean, stats.channels[1]!.mean, stats.channels[2]!.mean];
}

describe('the bucket browser in Chromium, on the real local server', () => {
  it.each(['light', 'dark'] as const)(
    'browses into a prefix by keyboard, shows details and real thumbnails (%s theme)',
    async (scheme) => {
      const { page } = await openBrowser(scheme);
      await expect.poll(() => rowNames(page)).toEqual(['gallery', 'readme.txt']);

      // Keyboard only: into gallery/, then into 2024/.
      await page.getByTestId('browse-list').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect.poll(() => rowNames(page)).toEqual(['2024', 'cover.jpg']);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => rowNames(page))
        .toEqual(['raw', 'a red.jpg', 'b green #2.png', 'c blue.jpg', 'notes.txt']);
      await expect
        .poll(() => page.getByTestId('breadcrumbs').textContent())
        .toBe(`${bucket}gallery2024`);

      await page.getByTestId('browse-row').filter({ hasText: 'b green #2.png' }).click();
      const details = page.getByTestId('details-pane');
      await expect.poll(() => details.textContent()).toMatch(/image\/png/);
      const pngSize = (await image('#20b040', 'png')).length;
      await expect
        .poll(() => page.getByTestId('details-size').textContent())
        .toContain(`${pngSize.toLocaleString('en-US')} bytes`);
      expect(await page.getByTestId('details-versioning').textContent()).toMatch(/^Off/);
      await shot(page, `browse-details-${scheme}`);

      await page.getByTestId('browse-row').filter({ hasText: 'notes.txt' }).click();
      await shot(page, `browse-list-${scheme}`);

      await page.getByTestId('browse-layout-grid').click();
      await expect.poll(() => page.getByTestId('thumb-image').count(), { timeout: 30_000 }).toBe(3);
      expect(
        await page.locator('[data-testid="thumb-placeholder"][data-reason="not-image"]').count(),
      ).toBe(1);
      for (const [key, expected] of [
        ['a red.jpg', 0],
        ['b green #2.png', 1],
        ['c blue.jpg', 2],
      ] as const) {
        const src = await page
          .locator(`[data-testid="browse-cell"][data-name="${key}"] img`)
          .getAttribute('src');
        const color = await thumbnailColor(src!);
        const strongest = color.indexOf(Math.max(...color));
        expect(strongest, key).toBe(expected);
        expect(IMAGES[`gallery/2024/${key}`]).toBeDefined();
      }
      await shot(page, `browse-grid-${scheme}`);

      // Backspace goes up a folder; Alt+Left comes back.
      await page.getByTestId('browse-grid').focus();
      await page.keyboard.press('Backspace');
      await page.getByTestId('browse-layout-list').click();
      await expect.poll(() => rowNames(page)).toEqual(['2024', 'cover.jpg']);
      await page.keyboard.press('Alt+ArrowLeft');
      await expect.poll(() => rowNames(page)).toContain('notes.txt');
    },
  );

  it('copies a presigned link, uploads a drop into the folder shown, makes a folder and deletes', async () => {
    const { page, context } = await openBrowser();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(renderer.url).origin,
    });
    await page.getByTestId('browse-row').filter({ hasText: 'gallery' }).dblclick();
    await page.getByTestId('browse-row').filter({ hasText: '2024' }).dblclick();
    await page.getByTestId('browse-row').filter({ hasText: 'b green #2.png' }).click();

    await page.getByTestId('browse-copy-link').click();
    const dialog = page.getByTestId('link-dialog');
    await dialog.waitFor();
    await page.getByTestId('link-expiry').selectOption(String(15 * 60));
    await expect.poll(() => page.getByTestId('link-url').inputValue()).toMatch(/X-Amz-Expires=900/);
    expect(await page.getByTestId('link-expires').textContent()).toMatch(/Stops working at/);
    await page.getByTestId('link-copy').click();
    await expect.poll(() => page.getByTestId('link-copy').textContent()).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await page.getByTestId('link-url').inputValue());
    const response = await fetch(copied);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(await image('#20b040', 'png'));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const dropped = path.join(tempDir('drop'), 'new shot é.jpg');
    writeFileSync(dropped, await image('#808080', 'jpeg'));
    await dropPaths(page, [dropped]);
    await page.getByTestId('preflight-start').click();
    await expect.poll(() => rowNames(page), { timeout: 60_000 }).toContain('new shot \u00e9.jpg');
    expect(await allKeys(client, bucket, 'gallery/2024/')).toContain(
      'gallery/2024/new shot \u00e9.jpg',
    );

    // A new folder is a zero-byte "name/" key; a slash in the name is refused with the reason.
    await page.getByTestId('browse-new-folder').click();
    await page.getByTestId('new-folder-name').fill('a/b');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('new-folder-dialog').textContent())
      .toMatch(/cannot contain a slash/);
    await page.getByTestId('new-folder-name').fill('selects');
    await page.keyboard.press('Enter');
    await expect.poll(() => rowNames(page)).toContain('selects');
    expect(await objectBytes(client, bucket, 'gallery/2024/selects/')).toHaveLength(0);

    // Delete, confirmed, says the bucket keeps no versions.
    await page.getByTestId('browse-row').filter({ hasText: 'notes.txt' }).click();
    await page.keyboard.press('Delete');
    await expect
      .poll(() => page.getByTestId('delete-explanation').textContent())
      .toMatch(/does not keep versions/);
    await page.getByTestId('delete-confirm').click();
    await expect.poll(() => rowNames(page)).not.toContain('notes.txt');
    expect(await allKeys(client, bucket, 'gallery/2024/')).not.toContain('gallery/2024/notes.txt');
  });
});
