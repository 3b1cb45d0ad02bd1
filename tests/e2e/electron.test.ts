import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDir, writeRandomFile } from '../support/files';
import { checkingClient, freshBucket, localS3, objectBytes, REPO_ROOT } from '../support/s3env';

/** Found without importing `electron`, whose import would try to download the binary. */
function electronBinary(): string | null {
  const packageDir = path.join(REPO_ROOT, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const SKIP_REASON =
  'the Electron binary is not installed (node_modules/electron/path.txt is missing: its download needs internet access)';

if (!binary) console.log(`Electron smoke test skipped: ${SKIP_REASON}.`);

describe('Electron app', () => {
  it.skipIf(!binary)('launches securely and uploads a folder', async () => {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    const s3 = localS3();
    const client = checkingClient(s3);
    const bucket = await freshBucket(client, 'electron');
    const folder = path.join(tempDir('electron'), 'Shoot');
    const data = writeRandomFile(path.join(folder, 'a.jpg'), 50_000);
    const app = await electron.launch({
      executablePath: binary!,
      args: [REPO_ROOT],
      env: { ...process.env, ...s3.env, XDG_CONFIG_HOME: tempDir('electron-config') },
    });
    try {
      const window = await app.firstWindow();
      const pageGlobals = await window.evaluate(() => {
        const scope = globalThis as Record<string, unknown>;
        return {
          require: typeof scope.require,
          process: typeof scope.process,
          module: typeof scope.module,
          bridge: typeof scope.bucketdrop,
        };
      });
      expect(pageGlobals).toEqual({
        require: 'undefined',
        process: 'undefined',
        module: 'undefined',
        bridge: 'object',
      });
      await app.evaluate(({ dialog }, picked) => {
        dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [picked] });
      }, folder);
      await window.getByTestId('bucket-input').fill(bucket);
      await window.getByTestId('add-folder').click();
      await window.getByTestId('preflight-start').click();
      await window.locator('[data-testid="queue-row"][data-state="done"]').waitFor();
      expect(await objectBytes(client, bucket, 'Shoot/a.jpg')).toEqual(data);
    } finally {
      await app.close();
    }
  });
});
