import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The real module downloads Electron's binary on import; tests get a recording fake.
    alias: { electron: path.resolve(import.meta.dirname, 'tests/support/fakeElectron.ts') },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // Node 20 is this machine's; the SDK's notice about 2027 would only clutter the output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default', './tests/support/summaryReporter.ts'],
  },
});
