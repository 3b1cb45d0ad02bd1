import { z } from 'zod';
import type { ChecksumMode } from '../s3/checksums';
import { ChecksumProbeError, type ChecksumProbeResult, probeChecksumMode } from './checksumProbe';
import { readJsonFile, writePrivateFile } from './privateFile';
import type { ProfileSettings } from './resolve';

export const CHECKSUM_MEMORY_FILE = 'checksum-modes.json';

const rememberedSchema = z.object({
  mode: z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']),
  verified: z.boolean(),
  reason: z.string(),
  probedAt: z.string(),
});
const memorySchema = z.record(z.string(), rememberedSchema);
export type RememberedChecksum = z.infer<typeof memorySchema>[string];

/** The endpoint as one key: scheme, host, port and path, without a trailing slash. */
export function endpointKey(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * What each S3-compatible endpoint was found to verify (see probeChecksumMode), in one JSON file,
 * so the probe runs once per endpoint rather than once per upload.
 */
export class ChecksumMemory {
  constructor(private readonly file: string) {}

  async get(endpoint: string): Promise<RememberedChecksum | undefined> {
    return (await this.read())[endpointKey(endpoint)];
  }

  async remember(endpoint: string, result: ChecksumProbeResult): Promise<void> {
    const all = await this.read();
    all[endpointKey(endpoint)] = { ...result, probedAt: new Date().toISOString() };
    await writePrivateFile(this.file, `${JSON.stringify(all, null, 2)}\n`);
  }

  private async read(): Promise<Record<string, RememberedChecksum>> {
    const parsed = memorySchema.safeParse((await readJsonFile(this.file)) ?? {});
    // A damaged file only costs a new probe.
    return parsed.success ? parsed.data : {};
  }
}

export interface DetectedChecksumMode {
  mode: ChecksumMode;
  /** How the mode was chosen, for the user; absent when nothing needed saying. */
  note?: string;
}

/**
 * The checksum mode for the default setting: AWS (no endpoint) checks CRC32. Another store is
 * probed once (in `bucket`) and remembered: CRC32 where it verifies CRC32, else Content-MD5,
 * which is what the stores that ignore CRC32 (Swift, Ceph RGW) verify. When the probe cannot run
 * (no write access yet, network), Content-MD5 for this time: AWS and every store seen check it.
 */
export async function detectChecksumMode(
  memory: ChecksumMemory,
  settings: Omit<ProfileSettings, 'checksumMode'>,
  bucket: string,
): Promise<DetectedChecksumMode> {
  const endpoint =
    settings.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  if (!endpoint) return { mode: 'WHEN_SUPPORTED' };
  const remembered = await memory.get(endpoint);
  if (remembered) return { mode: remembered.mode };
  try {
    const result = await probeChecksumMode(
      { ...settings, endpoint, checksumMode: 'WHEN_REQUIRED' },
      bucket,
    );
    await memory.remember(endpoint, result);
    return {
      mode: result.mode,
      note: `Checksum mode for ${endpointKey(endpoint)}: ${result.reason}`,
    };
  } catch (error) {
    if (!(error instanceof ChecksumProbeError)) throw error;
    return {
      mode: 'WHEN_REQUIRED',
      note: `${error.message} Content-MD5 is sent this time, which S3 and the stores that ignore CRC32 verify.`,
    };
  }
}
