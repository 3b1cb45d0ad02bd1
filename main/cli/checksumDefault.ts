import path from 'node:path';
import {
  CHECKSUM_MEMORY_FILE,
  ChecksumMemory,
  detectChecksumMode,
} from '../credentials/checksumMemory';
import type { EngineSettings } from '../transfer/engine';
import type { CliConnection } from './connection';

/**
 * Without --checksum, an upload to an S3-compatible endpoint uses what that endpoint was found
 * to verify (probed once, remembered next to the journal): CRC32 where it is checked, else
 * Content-MD5. Returns how the mode was chosen when it was chosen now.
 */
export async function applyDetectedChecksumMode(
  settings: EngineSettings,
  connection: CliConnection,
  checksumFlag: string | undefined,
  journalDir: string,
  bucket: string,
): Promise<string | undefined> {
  if (checksumFlag !== undefined || settings.checksumMode !== 'WHEN_SUPPORTED') return undefined;
  const memory = new ChecksumMemory(path.join(journalDir, CHECKSUM_MEMORY_FILE));
  const detected = await detectChecksumMode(memory, connection.settings, bucket);
  settings.checksumMode = detected.mode;
  return detected.note;
}
