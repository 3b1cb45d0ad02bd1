import exifr from 'exifr';
import type { KeyValue } from '../../preload/contract';
import { METADATA_BUDGET_BYTES, metadataBytes } from './uploadOptions';

export interface ImageMetadata {
  /** x-amz-meta-* entries, in the order they were given room. */
  entries: KeyValue[];
  /** What did not fit in the 2 KB budget, in plain words; empty when everything did. */
  note?: string;
}

const TAGS = [
  'ImageWidth',
  'ImageHeight',
  'ExifImageWidth',
  'ExifImageHeight',
  'PixelXDimension',
  'PixelYDimension',
  'DateTimeOriginal',
  'CreateDate',
  'OffsetTimeOriginal',
  'Make',
  'Model',
  'Orientation',
];
const GPS_TAGS = ['GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'];

type Raw = Record<string, unknown>;

/** Printable ASCII only: the value becomes an HTTP header. */
function headerSafe(value: unknown): string {
  return String(value)
    .replace(/[^\x20-\x7e]/g, '')
    .trim();
}

/** EXIF dates are "YYYY:MM:DD hh:mm:ss" in the camera's local time; kept so, in ISO form. */
function isoDate(raw: unknown, offset: unknown): string | undefined {
  const match = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(String(raw ?? ''));
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : '';
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
}

function camera(make: unknown, model: unknown): string | undefined {
  const brand = make ? headerSafe(make) : '';
  const name = model ? headerSafe(model) : '';
  if (!name) return brand || undefined;
  return brand && !name.toLowerCase().startsWith(brand.toLowerCase()) ? `${brand} ${name}` : name;
}

function positive(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
    ? String(value)
    : undefined;
}

function coordinate(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(6) : undefined;
}

function entriesOf(raw: Raw, includeGps: boolean): KeyValue[] {
  const candidates: Array<[string, string | undefined]> = [
    ['width', positive(raw.ExifImageWidth ?? raw.PixelXDimension ?? raw.ImageWidth)],
    ['height', positive(raw.ExifImageHeight ?? raw.PixelYDimension ?? raw.ImageHeight)],
    [
      'capture-date',
      isoDate(raw.DateTimeOriginal ?? raw.CreateDate, raw.OffsetTimeOriginal ?? undefined),
    ],
    ['camera-model', camera(raw.Make, raw.Model)],
    ['orientation', positive(raw.Orientation)],
  ];
  if (includeGps) {
    candidates.push(['gps-latitude', coordinate(raw.latitude)]);
    candidates.push(['gps-longitude', coordinate(raw.longitude)]);
  }
  return candidates
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .map(([key, value]) => ({ key, value }));
}

/**
 * Fits the image's entries into what the user's own metadata leaves of the 2 KB budget. The
 * user's keys win; a long value is cut, and one that still does not fit is dropped: the upload
 * must not fail for the sake of a camera name.
 */
export function fitMetadata(entries: KeyValue[], userMetadata: KeyValue[]): ImageMetadata {
  const taken = new Set(userMetadata.map(({ key }) => key.toLowerCase()));
  let room = METADATA_BUDGET_BYTES - metadataBytes(userMetadata);
  const kept: KeyValue[] = [];
  const cut: string[] = [];
  const dropped: string[] = [];
  for (const { key, value } of entries) {
    if (taken.has(key)) continue;
    const available = room - Buffer.byteLength(key);
    if (available <= 0 || (available < value.length && key !== 'camera-model')) {
      dropped.push(key);
      continue;
    }
    const fitted = value.slice(0, available);
    if (fitted.length < value.length) cut.push(key);
    kept.push({ key, value: fitted });
    room -= Buffer.byteLength(key) + fitted.length;
  }
  const notes = [
    ...(cut.length > 0 ? [`shortened ${cut.join(', ')}`] : []),
    ...(dropped.length > 0 ? [`left out ${dropped.join(', ')}`] : []),
  ];
  return {
    entries: kept,
    ...(notes.length > 0
      ? {
          note: `Image metadata: ${notes.join('; ')} to stay within S3's 2 KB of user metadata.`,
        }
      : {}),
  };
}

/** Where the metadata of JPEG, PNG, TIFF and HEIC files lies: within their first bytes. */
export const IMAGE_HEADER_BYTES = 4 * 1024 * 1024;

/**
 * Reads width, height, capture date, camera and orientation (and the GPS position only when
 * asked) from an image's header. Anything that is not an image, or has none of these, gives
 * nothing, never an error.
 */
export async function readImageMetadata(
  /** A path, or the file's first bytes (read through an already checked handle). */
  file: string | Uint8Array,
  options: { includeGps: boolean; userMetadata: KeyValue[] },
): Promise<ImageMetadata> {
  let raw: Raw | undefined;
  try {
    raw = (await exifr.parse(file, {
      tiff: true,
      exif: true,
      gps: options.includeGps,
      ihdr: true,
      ifd1: false,
      interop: false,
      xmp: false,
      icc: false,
      iptc: false,
      translateValues: false,
      reviveValues: false,
      mergeOutput: true,
      pick: options.includeGps ? [...TAGS, ...GPS_TAGS] : TAGS,
    })) as Raw | undefined;
  } catch {
    return { entries: [] };
  }
  if (!raw) return { entries: [] };
  if (options.includeGps) {
    const gps = await exifr.gps(file).catch(() => undefined);
    if (gps) raw = { ...raw, latitude: gps.latitude, longitude: gps.longitude };
  }
  return fitMetadata(entriesOf(raw, options.includeGps), options.userMetadata);
}
