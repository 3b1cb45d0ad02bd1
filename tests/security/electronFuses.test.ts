import path from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { PlatformPackager } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/s3env';

/**
 * Packaging itself needs Electron's binaries (not on this machine), so this runs the part of
 * electron-builder that matters: it reads our configuration, validates it against its schema,
 * and turns electronFuses into the fuse wire that @electron/fuses flips in the binary.
 */
async function fuseWire(): Promise<Record<string | number, unknown>> {
  const config = await getConfig(REPO_ROOT, path.join(REPO_ROOT, 'electron-builder.yml'), null);
  await validateConfiguration(config, new DebugLogger(false));
  const generate = (
    PlatformPackager.prototype as unknown as {
      generateFuseConfig(fuses: unknown): Promise<Record<string | number, unknown>>;
    }
  ).generateFuseConfig;
  return generate.call(null, config.electronFuses);
}

describe('#13 item 11: Electron fuses in the packaged app', () => {
  it('turns off running as Node and inspecting, and loads only an intact app.asar', async () => {
    const wire = await fuseWire();
    expect({
      RunAsNode: wire[FuseV1Options.RunAsNode],
      NodeOptions: wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
      NodeCliInspect: wire[FuseV1Options.EnableNodeCliInspectArguments],
      EmbeddedAsarIntegrityValidation: wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
      OnlyLoadAppFromAsar: wire[FuseV1Options.OnlyLoadAppFromAsar],
      CookieEncryption: wire[FuseV1Options.EnableCookieEncryption],
    }).toEqual({
      RunAsNode: false,
      NodeOptions: false,
      NodeCliInspect: false,
      EmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      CookieEncryption: true,
    });
  });
});
