import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, objectBytes } from '../support/s3env';
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

const KEY = 'clients/acme/hero.png';

let browser: Browser;
let renderer: Awaited<ReturnType<typeof serveRenderer>>;
let preload: string;

function png(width: number, color: string): Promise<Buffer> {
  return sharp({ create: { width, height: 30, channels: 3, background: color } })
    .png()
    .toBuffer();
}

beforeAll(async () => {
  renderer = await serveRenderer();
  preload = await preloadForBrowser();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

describeEachServer('versions in the app (Chromium)', (s3) => {
  const checker = checkingClient(s3);
  let proxy: FaultProxy;
  let host: MainHost;
  let app: AppPage;
  let page: Page;
  let bucket: string;
  /** The three versions of KEY, oldest first: a PNG of a different width each. */
  const versions: { id: string; bytes: Buffer; width: number }[] = [];

  async function put(key: string, body: Buffer): Promise<string> {
    const response = await checker.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'image/png' }),
    );
    return response.VersionId!;
  }

  beforeAll(async () => {
    bucket = await freshBucket(checker, 'versions-e2e');
    await checker.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    for (const [width, color] of [
      [40, '#d11'],
      [50, '#1a1'],
      [60, '#12d'],
    ] as const) {
      const bytes = await png(width, color);
      versions.push({ id: await put(KEY, bytes), bytes, width });
    }
    for (const name of ['a.png', 'b.png']) {
      await put(`gone/${name}`, await png(20, '#888'));
      await checker.send(new DeleteObjectCommand({ Bucket: bucket, Key: `gone/${name}` }));
    }

    proxy = await startFaultProxy(s3.endpoint);
    const dataDir = tempDir('versions-e2e');
    host = await MainHost.start(dataDir, { ...s3.env, AWS_ENDPOINT_URL: proxy.url });
    app = await openApp(browser, renderer.url, preload, host);
    page = app.page;
    await page.getByTestId('queue').waitFor();
  });

  afterAll(async () => {
    await app?.context.close();
    await host?.kill();
    await proxy?.close();
  });

  async function showInHistory(target: string): Promise<void> {
    await page.getByTestId('history-bucket').fill(bucket);
    await page.getByTestId('history-path').fill(target);
    await page.getByTestId('history-show').click();
  }

  function versionRow(versionId: string) {
    return page.locator(`[data-testid="version-row"][data-version-id="${versionId}"]`);
  }

  it('previews an old version and restores it with a server-side copy', async () => {
    await page.getByTestId('view-history').click();
    await showInHistory(`s3://${bucket}/${KEY}`);

    const rows = page.getByTestId('version-row');
    await expect.poll(() => rows.count()).toBe(3);
    await expect
      .poll(() => page.getByTestId('versioning-status').getAttribute('data-status'))
      .toBe('Enabled');
    expect(await rows.first().getAttribute('data-version-id')).toBe(versions[2]!.id);
    expect(await rows.first().getAttribute('data-latest')).toBe('true');

    const v1 = versions[0]!;
    await versionRow(v1.id)
      .getByRole('button', { name: /Preview and link/ })
      .click();
    const preview = page.getByTestId('version-preview');
    await preview.waitFor();
    // Drawn from v1's own bytes: v1 is the only 40-pixel-wide version.
    await expect
      .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(v1.width);
    await screenshot(page, `versions-panel-${s3.name}`);

    const mark = proxy.requests.length;
    await versionRow(v1.id).getByTestId('restore-version').click();
    const dialog = page.getByTestId('restore-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/new\s+latest version[\s\S]*Nothing is deleted/);
    await page.getByTestId('restore-dialog-confirm').click();

    await expect
      .poll(() => page.getByTestId('versions-outcome').textContent())
      .toMatch(`Restored version ${v1.id}`);
    await expect.poll(() => rows.count()).toBe(4);
    const newest = rows.first();
    expect(await newest.getAttribute('data-latest')).toBe('true');
    expect(versions.map((v) => v.id)).not.toContain(await newest.getAttribute('data-version-id'));
    expect((await objectBytes(checker, bucket, KEY)).equals(v1.bytes)).toBe(true);
    const sent = proxy.requests.slice(mark).map((request) => request.operation);
    expect(sent).toContain('CopyObject');
    expect(sent).not.toContain('GetObject');
  });

  it('downloads an old version into the folder main asks for, through the shared queue', async () => {
    const v1 = versions[0]!;
    const folder = tempDir('versions-e2e-download');
    host.downloadFolderAnswer = folder;
    const mark = proxy.requests.length;
    await versionRow(v1.id).getByTestId('download-version').click();
    await expect
      .poll(() => page.getByTestId('versions-outcome').textContent())
      .toMatch(`Downloading version ${v1.id} of ${KEY}`);
    const file = path.join(folder, 'hero.png');
    await expect.poll(() => existsSync(file) && readFileSync(file).equals(v1.bytes)).toBe(true);
    expect(proxy.requests.slice(mark).map((request) => request.operation)).toContain('GetObject');

    await page.getByTestId('view-queue').click();
    const row = page.locator('[data-testid="queue-row"][data-direction="download"]');
    await expect.poll(() => row.getAttribute('data-state')).toBe('done');
    expect(await row.getAttribute('data-key')).toBe(KEY);
    await page.getByTestId('view-history').click();
  });

  it('shows deleted files under a prefix and undeletes one', async () => {
    await showInHistory('gone/');
    const deleted = page.getByTestId('deleted-row');
    await expect.poll(() => deleted.count()).toBe(2);

    await page.getByRole('checkbox', { name: 'Select gone/a.png' }).check();
    await page.getByTestId('undelete-selected').click();
    await expect
      .poll(() => page.getByTestId('undelete-results').textContent())
      .toMatch(/1 file undeleted[\s\S]*gone\/a\.png/);
    await expect.poll(() => deleted.count()).toBe(1);
    expect(await deleted.first().getAttribute('data-key')).toBe('gone/b.png');
    expect((await objectBytes(checker, bucket, 'gone/a.png')).length).toBeGreaterThan(0);
    // Undelete removes the delete markers: the store keeps the versions under them.
    expect(s3.features.removesDeleteMarkers).toBe(true);
    const left = await checker.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'gone/a.png' }),
    );
    expect(left.DeleteMarkers ?? []).toEqual([]);
    expect(left.Versions?.map((version) => version.IsLatest)).toEqual([true]);
    await screenshot(page, `versions-deleted-files-${s3.name}`);
  });

  it('lists the operations in the audit log and exports them', async () => {
    await page.getByTestId('history-audit-tab').click();
    const audit = page.getByTestId('audit-row');
    await expect.poll(() => audit.count()).toBe(2);
    expect(await audit.nth(0).getAttribute('data-operation')).toBe('undelete');
    expect(await audit.nth(0).getAttribute('data-key')).toBe('gone/a.png');
    expect(await audit.nth(1).getAttribute('data-operation')).toBe('restore');
    expect(await audit.nth(1).getAttribute('data-key')).toBe(KEY);

    const target = path.join(tempDir('versions-e2e-export'), 'audit.csv');
    host.saveDialogAnswer = target;
    await page.getByTestId('audit-export-csv').click();
    await expect.poll(() => page.getByText(`Saved the audit log to ${target}`).count()).toBe(1);
    const csv = readFileSync(target, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('time,operation,profile,bucket,key,fromVersion,toVersion,result,detail');
    expect(csv.slice(1).map((line) => line.split(',')[1])).toEqual(['restore', 'undelete']);
    expect(host.saveDialogNames[0]).toMatch(/^bucketdrop-audit-\d{4}-\d\d-\d\d\.csv$/);
  });

  it('restores a prefix to a point in time after a dry run, and a second run has nothing to do', async () => {
    await put('pit/a.png', await png(20, '#111'));
    await put('pit/b.png', await png(20, '#222'));
    // Stores keep whole seconds and the picker too: leave a clear second either side of T.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const at = new Date();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await put('pit/a.png', await png(30, '#333'));
    await checker.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'pit/b.png' }));

    await page.getByTestId('history-audit-tab').press('ArrowLeft');
    expect(await page.getByTestId('history-lookup-tab').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Versions & deleted files',
    );
    await showInHistory('pit/');
    await page.getByTestId('open-point-in-time').click();
    const dialog = page.getByTestId('point-in-time-dialog');
    const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
    await dialog.getByTestId('pit-at').fill(local.toISOString().slice(0, 19));
    await dialog.getByTestId('pit-plan').click();
    await expect.poll(() => dialog.getByTestId('pit-summary').textContent()).toMatch(/^2 changes/);
    expect(
      await dialog.locator('[data-kind]').evaluateAll((items) => items.map((i) => i.textContent)),
    ).toEqual([
      expect.stringMatching(/^pit\/a\.png: restore version/),
      expect.stringMatching(/^pit\/b\.png: undelete/),
    ]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `versions-point-in-time-dark-${s3.name}`);
    await page.emulateMedia({ colorScheme: 'light' });

    await dialog.getByTestId('pit-apply').click();
    await expect
      .poll(() => dialog.getByTestId('pit-progress').textContent())
      .toBe('Done: 2 changes applied.');
    expect((await sharp(await objectBytes(checker, bucket, 'pit/a.png')).metadata()).width).toBe(
      20,
    );
    expect((await objectBytes(checker, bucket, 'pit/b.png')).length).toBeGreaterThan(0);

    await dialog.getByTestId('pit-plan').click();
    await expect
      .poll(() => dialog.getByTestId('pit-summary').textContent())
      .toMatch(/^Nothing to do/);
    await dialog.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    // The applied steps are rows of the shared queue too, with their own kind, and end done.
    await page.getByTestId('view-queue').click();
    const steps = page.locator('[data-testid="queue-row"][data-direction="restore"]');
    await expect.poll(() => steps.count()).toBe(2);
    expect(
      await steps.evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-key'), row.getAttribute('data-state')]).sort(),
      ),
    ).toEqual([
      ['pit/a.png', 'done'],
      ['pit/b.png', 'done'],
    ]);
    const restoredRow = steps.and(page.locator('[data-key="pit/a.png"]'));
    expect(await restoredRow.innerText()).toMatch(/pit\/a\.png: restore to its version as of/);
    expect(await restoredRow.getByTestId('row-pause').isDisabled()).toBe(true);
    expect(await restoredRow.getByTestId('row-cancel').isDisabled()).toBe(true);
    await restoredRow.getByTestId('row-remove').click();
    await expect.poll(() => steps.count()).toBe(1);
    await screenshot(page, `versions-restore-steps-in-queue-${s3.name}`);
  });
  it('opens an object’s versions and the folder’s deleted files from the bucket browser', async () => {
    await put('clients/acme/old.png', await png(20, '#444'));
    await checker.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'clients/acme/old.png' }));
    await page.getByTestId('view-browse').click();
    await page.getByTestId('browse-bucket-select').selectOption(bucket);
    await page.getByTestId('browse-row').filter({ hasText: 'clients' }).dblclick();
    await page.getByTestId('browse-row').filter({ hasText: 'acme' }).dblclick();
    await page.getByTestId('browse-row').filter({ hasText: 'hero.png' }).click();

    await page.getByTestId('browse-versions').click();
    await page.getByTestId('history-view').waitFor();
    expect(await page.getByTestId('history-path').inputValue()).toBe(KEY);
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(4);

    await page.getByTestId('view-browse').click();
    await page.getByTestId('browse-show-deleted').check();
    const deleted = page.getByTestId('deleted-row');
    await expect.poll(() => deleted.count()).toBe(1);
    expect(await deleted.first().getAttribute('data-key')).toBe('clients/acme/old.png');
  });
});
