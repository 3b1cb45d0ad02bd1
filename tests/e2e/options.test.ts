import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  GetBucketVersioningCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket } from '../support/s3env';
import { describeEachServer, type TestServer, testServer } from '../support/servers';
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

let browser: Browser;
let renderer: Awaited<ReturnType<typeof serveRenderer>>;
let preload: string;
const hosts: MainHost[] = [];
const pages: AppPage[] = [];

beforeAll(async () => {
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

async function openFor(
  server: TestServer,
  bucket: string,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const dataDir = tempDir('data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({ checksumMode: 'WHEN_REQUIRED', destination: { bucket, prefix: 'shoots/' } }),
  );
  const host = await MainHost.start(dataDir, server.env);
  hosts.push(host);
  const app = await openApp(browser, renderer.url, preload, host, colorScheme);
  pages.push(app);
  await app.page.getByTestId('queue').waitFor();
  return app.page;
}

/** A folder with one photo carrying a camera's EXIF, GPS included. */
async function photoFolder(): Promise<string> {
  const folder = path.join(tempDir('e2e-options'), 'Shoot');
  mkdirSync(folder, { recursive: true });
  await sharp({ create: { width: 120, height: 80, channels: 3, background: '#468' } })
    .withMetadata({
      exif: {
        IFD0: { Make: 'SONY', Model: 'ILCE-7M4' },
        IFD2: { DateTimeOriginal: '2025:06:07 08:09:10' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1' },
      },
    })
    .jpeg()
    .toFile(path.join(folder, 'DSC0001.jpg'));
  return folder;
}

describeEachServer('upload options and bucket setup in Chromium', (server) => {
  let client: S3Client;
  beforeAll(() => {
    client = checkingClient(server);
  });
  const { tags, storageClasses, blockPublicAccess, lifecycle } = server.features;
  /** A class other than STANDARD where the server keeps one, so that HEAD proves it landed. */
  const storageClass = storageClasses[1] ?? 'STANDARD';
  // Light and dark differ only in the page: the second scheme runs on one server.
  const schemes = server.name === 'swift' ? (['light', 'dark'] as const) : (['light'] as const);

  it.each(schemes)(
    'sets options in the preflight, the object carries them, tags only where the store keeps them (%s)',
    async (scheme) => {
      const bucket = await freshBucket(client, `opt-${scheme}`);
      const page = await openFor(server, bucket, scheme);
      const folder = await photoFolder();
      await dropPaths(page, [folder]);
      await page.getByTestId('options-toggle').click();
      await page.getByTestId('option-storage-class').selectOption(storageClass);
      await page
        .getByTestId('option-cache-preset')
        .selectOption('public, max-age=31536000, immutable');
      await page.getByTestId('option-content-disposition').fill('inline');
      await page.getByTestId('option-metadata').fill('project=e2e\nbad line');
      await expect
        .poll(() => page.getByTestId('option-problem-metadata').textContent())
        .toMatch(/line 2 \("bad line"\) needs the form key=value/);
      await page.getByTestId('option-metadata').fill('project=e2e');
      await page.getByTestId('option-exif').check();
      await page.getByTestId('option-tags').fill('client=acme');
      if (tags) {
        // Start stays disabled while main checks the options against the store.
        await expect
          .poll(() => page.getByTestId('preflight-start').isEnabled(), { timeout: 15_000 })
          .toBe(true);
        expect(await page.getByTestId('option-problem-tags').count()).toBe(0);
      } else {
        await expect
          .poll(() => page.getByTestId('option-problem-tags').textContent(), { timeout: 15_000 })
          .toMatch(/This store does not support object tags/);
        await expect(page.getByTestId('preflight-start').isDisabled()).resolves.toBe(true);
        await page.getByTestId('option-tags').fill('');
        await expect.poll(() => page.getByTestId('preflight-start').isEnabled()).toBe(true);
      }
      await screenshot(page, `preflight-options-${server.name}-${scheme}`);
      await page.getByTestId('preflight-start').click();
      await page.locator('[data-testid="queue-row"][data-state="done"]').waitFor();

      const Key = 'shoots/Shoot/DSC0001.jpg';
      const object = await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
      expect(object.CacheControl).toBe('public, max-age=31536000, immutable');
      expect(object.ContentDisposition).toBe('inline');
      // S3 leaves the header out for STANDARD.
      expect(object.StorageClass ?? 'STANDARD').toBe(storageClass);
      expect(object.Metadata).toEqual({
        project: 'e2e',
        width: '120',
        height: '80',
        'capture-date': '2025-06-07T08:09:10',
        'camera-model': 'SONY ILCE-7M4',
        orientation: '1',
      });
      expect(Object.keys(object.Metadata ?? {}).filter((key) => key.startsWith('gps'))).toEqual([]);
      if (tags) {
        const tagging = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key }));
        expect(tagging.TagSet).toEqual([{ Key: 'client', Value: 'acme' }]);
      }

      // The bucket browser's details pane shows what the options put on the object.
      await page.getByTestId('view-browse').click();
      await page.getByTestId('browse-bucket-select').selectOption(bucket);
      await page.getByTestId('browse-row').filter({ hasText: 'shoots' }).dblclick();
      await page.getByTestId('browse-row').filter({ hasText: 'Shoot' }).dblclick();
      await page.getByTestId('browse-row').filter({ hasText: 'DSC0001.jpg' }).click();
      const details = page.getByTestId('details-pane');
      await expect.poll(() => details.innerText()).toMatch(/public, max-age=31536000, immutable/);
      const shown = await details.innerText();
      expect(shown).toMatch(/Content-Disposition\s+inline/);
      expect(shown).toMatch(new RegExp(`Storage class\\s+${storageClass}\\n`));
      for (const text of [
        'project',
        'e2e',
        'camera-model',
        'SONY ILCE-7M4',
        '2025-06-07T08:09:10',
      ]) {
        expect(shown).toContain(text);
      }
      expect(shown).toMatch(tags ? /Tags\s+client = acme/ : /Tags\s+(None|Unavailable)/);
      expect(shown).not.toMatch(/gps/i);
      await screenshot(page, `details-options-${server.name}-${scheme}`);
    },
  );

  it('creates a bucket with versioning, says which settings the store refused, and shows its overview', async () => {
    const bucket = await freshBucket(client, 'start');
    const page = await openFor(server, bucket);
    await page.getByTestId('new-bucket-open').click();
    await page.getByTestId('new-bucket-name').fill('My Photos');
    await page.getByTestId('new-bucket-create').click();
    await expect
      .poll(() => page.getByTestId('new-bucket-error').textContent())
      .toMatch(/"My Photos" is not a valid bucket name: .*only lowercase letters/);

    const name = `t-e2e-new-${randomBytes(4).toString('hex')}`;
    await page.getByTestId('new-bucket-name').fill(name);
    await page.getByTestId('new-bucket-create').click();
    const steps = page.getByTestId('new-bucket-steps');
    await expect.poll(() => steps.textContent()).toMatch(/Versioning is on/);
    const said = await steps.textContent();
    expect(said).toMatch(
      blockPublicAccess
        ? server.features.blockPublicAclsStopsWrites
          ? /Block Public Access is on, except BlockPublicAcls/
          : /Block Public Access is on:/
        : /did not accept Block Public Access/,
    );
    expect(said).toMatch(
      lifecycle
        ? /Incomplete multipart uploads are aborted after 7 days/
        : /did not accept the lifecycle rule/,
    );
    expect(said).toMatch(/A test object was written and removed/);
    await screenshot(page, `new-bucket-${server.name}`);
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: name }));
    expect(versioning.Status).toBe('Enabled');

    await page.getByTestId('new-bucket-use').click();
    await expect.poll(() => page.getByTestId('bucket-select').inputValue()).toBe(name);
    await page.getByTestId('bucket-overview-open').click();
    await expect
      .poll(() => page.getByTestId('overview-versioning').textContent())
      .toBe('Versioningon');
    expect(await page.getByTestId('overview-publicAccessBlock').textContent()).toMatch(
      blockPublicAccess
        ? server.features.blockPublicAclsStopsWrites
          ? /only IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets/
          : /all on/
        : /unknown \(the store answered without any setting\)/,
    );
    await screenshot(page, `bucket-overview-${server.name}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('bucket-overview').count()).toBe(0);
  });
});

// Destination defaults live in the app's settings: one server is enough.
describe('upload defaults of a destination in Chromium', () => {
  const server = testServer('swift');
  const client = checkingClient(server);

  it('keeps options as the defaults of a destination, editable from the destination bar', async () => {
    const bucket = await freshBucket(client, 'optdefaults');
    const page = await openFor(server, bucket);
    const folder = await photoFolder();
    await dropPaths(page, [folder]);
    await page.getByTestId('options-toggle').click();
    await page.getByTestId('option-cache-preset').selectOption('no-cache');
    await page.getByTestId('options-save-defaults').click();
    await expect
      .poll(() => page.getByTestId('preflight').textContent())
      .toMatch(/Saved as the defaults for this destination/);
    await page.getByTestId('preflight-cancel').click();

    await page.getByTestId('upload-defaults-open').click();
    const editor = page.getByTestId('upload-defaults');
    await expect(editor.getByTestId('option-cache-preset').inputValue()).resolves.toBe('no-cache');
    await editor.getByTestId('option-content-disposition').fill('attachment');
    await editor.getByTestId('upload-defaults-save').click();
    await expect.poll(() => editor.count()).toBe(0);

    await dropPaths(page, [folder]);
    await page.getByTestId('options-toggle').click();
    await expect(page.getByTestId('option-cache-preset').inputValue()).resolves.toBe('no-cache');
    await page.getByTestId('preflight-start').click();
    await page.locator('[data-testid="queue-row"][data-state="done"]').waitFor();
    const object = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'shoots/Shoot/DSC0001.jpg' }),
    );
    expect(object.CacheControl).toBe('no-cache');
    expect(object.ContentDisposition).toBe('attachment');
  });
});
