// Bundles the command line into one ES module so `bucketdrop` starts without a TypeScript loader.
import { build } from 'esbuild';

await build({
  entryPoints: ['main/cli/bucketdrop.ts'],
  outfile: 'dist/cli/bucketdrop.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
