import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImageMetadata } from '../../main/transfer/imageMetadata';
import { tempDir } from '../support/files';
import { exifTiffOfJpeg, heicWithExif } from '../support/heic';

const EXIF = {
  IFD0: { Make: 'Canon', Model: 'Canon EOS R5' },
  IFD2: { DateTimeOriginal: '2024:05:06 07:08:09', OffsetTimeOriginal: '+02:00' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '48/1 51/1 2400/100',
    GPSLongitudeRef: 'W',
    GPSLongitude: '2/1 21/1 300/100',
  },
};

let dir: string;
const files: Record<string, string> = {};

/** Real image files, written by libvips with the EXIF a camera would put there. */
beforeAll(async () => {
  dir = tempDir('exif');
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } });
  const tagged = image.clone().withMetadata({ exif: EXIF, orientation: 6 });
  files.jpeg = path.join(dir, 'shot.jpg');
  files.png = path.join(dir, 'shot.png');
  files.plainPng = path.join(dir, 'plain.png');
  files.heic = path.join(dir, 'IMG_0001.HEIC');
  files.text = path.join(dir, 'notes.jpg');
  await tagged.clone().jpeg().toFile(files.jpeg);
  await tagged.clone().png().toFile(files.png);
  await image.clone().png().toFile(files.plainPng);
  writeFileSync(files.heic, heicWithExif(exifTiffOfJpeg(await tagged.clone().jpeg().toBuffer())));
  writeFileSync(files.text, 'not an image at all, whatever the name says');
});

const withoutGps = { includeGps: false, userMetadata: [] };

describe('image metadata read with exifr', () => {
  it('reads width, height, capture date, camera and orientation from a JPEG', async () => {
    expect(await readImageMetadata(files.jpeg!, withoutGps)).toEqual({
      entries: [
        { key: 'width', value: '64' },
        { key: 'height', value: '48' },
        { key: 'capture-date', value: '2024-05-06T07:08:09+02:00' },
        { key: 'camera-model', value: 'Canon EOS R5' },
        { key: 'orientation', value: '6' },
      ],
    });
  });

  it('reads the same from a PNG (eXIf chunk and IHDR)', async () => {
    const { entries } = await readImageMetadata(files.png!, withoutGps);
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual({
      width: '64',
      height: '48',
      'capture-date': '2024-05-06T07:08:09+02:00',
      'camera-model': 'Canon EOS R5',
      orientation: '6',
    });
  });

  it('reads the same from a HEIC (the Exif item of its HEIF container)', async () => {
    const { entries } = await readImageMetadata(files.heic!, withoutGps);
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual({
      width: '64',
      height: '48',
      'capture-date': '2024-05-06T07:08:09+02:00',
      'camera-model': 'Canon EOS R5',
      orientation: '6',
    });
  });

  it('never copies the GPS position unless asked to', async () => {
    const keys = (await readImageMetadata(files.jpeg!, withoutGps)).entries.map((e) => e.key);
    expect(keys.filter((key) => key.startsWith('gps'))).toEqual([]);
    const withGps = await readImageMetadata(files.jpeg!, { includeGps: true, userMetadata: [] });
    expect(withGps.entries).toEqual(
      expect.arrayContaining([
        { key: 'gps-latitude', value: '48.856667' },
        { key: 'gps-longitude', value: '-2.350833' },
      ]),
    );
  });

  it('gives nothing, and no error, for an image without EXIF or a non-image', async () => {
    expect(await readImageMetadata(files.plainPng!, withoutGps)).toEqual({ entries: [] });
    expect(await readImageMetadata(files.text!, withoutGps)).toEqual({ entries: [] });
    expect(await readImageMetadata(path.join(dir, 'missing.jpg'), withoutGps)).toEqual({
      entries: [],
    });
  });
});
