import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Settings } from '../../preload/contract';
import { MAX_RESTORE_CONCURRENCY } from '../versions/applyPlan';
import { uploadDefaultsSchema } from './uploadOptionsSchema';

export const destinationSchema = z.strictObject({
  bucket: z.string().max(63),
  prefix: z.string().max(1024),
});

/** Limits a user may set; the same schema checks IPC payloads and the file on disk. */
export const settingsSchema = z.strictObject({
  activeConnectionId: z.uuid().nullable(),
  filesInFlight: z.int().min(1).max(16),
  partsInFlight: z.int().min(1).max(64),
  // A part is read into one buffer, and Node caps a buffer at 4 GiB (see memoryLimits.ts).
  partSizeMiB: z.int().min(5).max(4096),
  checksumMode: z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']),
  skipJunkFiles: z.boolean(),
  autoResumeOnLaunch: z.boolean(),
  defaultConflictPolicy: z.enum(['ask', 'overwrite', 'skip', 'rename']),
  destination: destinationSchema,
  uploadDefaults: z.array(uploadDefaultsSchema).max(500).optional(),
  /** Plain http to a private AWS_ENDPOINT_URL, acknowledged by the user. */
  allowUnencryptedEnvironmentEndpoint: z.boolean().optional(),
  restoreConcurrency: z.int().min(1).max(MAX_RESTORE_CONCURRENCY).optional(),
}) satisfies z.ZodType<Settings>;

export const DEFAULT_SETTINGS: Settings = {
  activeConnectionId: null,
  filesInFlight: 8,
  partsInFlight: 8,
  partSizeMiB: 8,
  checksumMode: 'WHEN_SUPPORTED',
  skipJunkFiles: true,
  autoResumeOnLaunch: true,
  defaultConflictPolicy: 'ask',
  destination: { bucket: '', prefix: '' },
  uploadDefaults: [],
};

/** Settings kept in main, in a JSON file written atomically so a crash never leaves half of it. */
export class SettingsStore {
  private constructor(
    private readonly file: string,
    private current: Settings,
  ) {}

  static async open(dataDir: string): Promise<SettingsStore> {
    const file = path.join(dataDir, 'settings.json');
    let stored: unknown = {};
    try {
      stored = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch {
      // A missing or unreadable file means defaults; the next save repairs it.
    }
    const merged = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(stored as object) });
    return new SettingsStore(file, merged.success ? merged.data : DEFAULT_SETTINGS);
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...this.current, ...patch });
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(next, null, 2), { mode: 0o600 });
    await fs.rename(temporary, this.file);
    this.current = next;
    return this.get();
  }
}
