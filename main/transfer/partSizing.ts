export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

/** S3's limits: https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html */
export const MAX_PARTS = 10_000;
export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PART_SIZE = 5 * GiB;
export const MAX_SINGLE_PUT = 5 * GiB;
export const MAX_OBJECT_SIZE = 5 * TiB;

export const DEFAULT_MULTIPART_THRESHOLD = 16 * MiB;
export const DEFAULT_PART_SIZE = 8 * MiB;

export interface PartSizingOptions {
  multipartThreshold: number;
  partSize: number;
}

export type PartLayout =
  { kind: 'single' } | { kind: 'multipart'; partSize: number; partCount: number };

export class ObjectTooLargeError extends Error {}

function roundUpToMiB(bytes: number): number {
  return Math.ceil(bytes / MiB) * MiB;
}

export function layoutFor(size: number, options: PartSizingOptions): PartLayout {
  if (size > MAX_OBJECT_SIZE) {
    throw new ObjectTooLargeError(
      `the file is ${size} bytes; S3 objects can be at most 5 TiB (${MAX_OBJECT_SIZE} bytes)`,
    );
  }
  if (size < Math.min(options.multipartThreshold, MAX_SINGLE_PUT + 1)) return { kind: 'single' };
  const partSize = roundUpToMiB(
    Math.max(options.partSize, MIN_PART_SIZE, Math.ceil(size / MAX_PARTS)),
  );
  return { kind: 'multipart', partSize, partCount: Math.max(1, Math.ceil(size / partSize)) };
}

/** Byte range [start, end) of a 1-based part. */
export function partRange(
  size: number,
  partSize: number,
  partNumber: number,
): { start: number; end: number } {
  const start = (partNumber - 1) * partSize;
  return { start, end: Math.min(size, start + partSize) };
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: MiB, g: GiB, t: TiB };

/** Parses `8M`, `16MiB`, `1.5g`, `5242880` into bytes. */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a size (try 8M, 64MiB or 1G)`);
  return Math.round(Number(match[1]) * (SIZE_UNITS[(match[2] ?? '').toLowerCase()] ?? 1));
}
