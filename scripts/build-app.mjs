// Bundles Electron's main process and the sandboxed preload. A sandboxed preload must be a single
// CommonJS file that requires nothing but 'electron'.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // sharp loads a native library at run time: it stays in node_modules (unpacked from the asar).
  external: ['electron', 'sharp'],
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['main/app/main.ts'], outfile: 'dist/main/app.cjs' }),
  build({ ...common, entryPoints: ['preload/bridge.ts'], outfile: 'dist/preload/bridge.cjs' }),
  // Decodes images from buckets in a utility process, away from the credentials.
  build({
    ...common,
    entryPoints: ['main/imaging/decoderProcess.ts'],
    outfile: 'dist/main/imageDecoder.cjs',
  }),
]);
