import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ChecksumMode } from '../s3/checksums';
import { parseS3Uri, type S3Location } from '../s3/uri';
import { DEFAULT_ENGINE_SETTINGS } from '../transfer/engine';
import { UsageError } from './usage';

/** Argument handling shared by every command. */

export const CONNECTION_OPTIONS = {
  profile: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'path-style': { type: 'boolean' },
  checksum: { type: 'string' },
  journal: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends ParseArgsConfig['options']>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function s3Argument(text: string): S3Location {
  try {
    return parseS3Uri(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function checksumOption(
  text: string | undefined,
  fallback: ChecksumMode = DEFAULT_ENGINE_SETTINGS.checksumMode,
): ChecksumMode {
  if (text === undefined) return fallback;
  if (text === 'when-supported') return 'WHEN_SUPPORTED';
  if (text === 'when-required') return 'WHEN_REQUIRED';
  throw new UsageError(`--checksum takes when-supported or when-required, not "${text}"`);
}
