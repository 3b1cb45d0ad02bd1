// `npm start`: builds the app and launches Electron, or says plainly why it cannot.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');

/** Where the electron package keeps its binary; read without importing it, which would throw. */
function electronBinary() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

let binary = electronBinary();
if (!binary && existsSync(path.join(electronDir, 'install.js'))) {
  console.log('Downloading the Electron binary (first start only)…');
  try {
    execFileSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit' });
  } catch {
    // Reported below with what to do instead.
  }
  binary = electronBinary();
}
if (!binary) {
  console.error(
    [
      'Bucketdrop cannot start: the Electron binary is not installed and could not be downloaded.',
      'npm installs the electron package, but its binary comes from GitHub on first use, and this',
      'machine cannot reach it. On a machine with internet access, `npm start` downloads it once.',
      'Meanwhile everything else works here: the command line (`npm run cli -- --help`) and the',
      'tests (`npm test`), which run the real interface in Chromium.',
    ].join('\n'),
  );
  process.exit(1);
}

const development = process.argv.includes('--dev');
execFileSync(process.execPath, ['scripts/build-app.mjs'], { cwd: root, stdio: 'inherit' });
const env = { ...process.env };
let devServer = null;
if (development) {
  // The window loads from Vite's dev server, so renderer edits show without a rebuild.
  const { createServer } = await import('vite');
  devServer = await createServer({ configFile: path.join(root, 'vite.config.ts') });
  await devServer.listen();
  env.BUCKETDROP_DEV_SERVER_URL = devServer.resolvedUrls.local[0];
} else {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
const child = spawn(binary, [root], { cwd: root, stdio: 'inherit', env });
child.on('exit', async (code) => {
  await devServer?.close();
  process.exit(code ?? 0);
});
