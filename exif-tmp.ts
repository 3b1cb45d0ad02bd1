import sharp from 'sharp';
import exifr from 'exifr';
(async () => {
  const img = sharp({ create: { width: 64, height: 48, channels: 3, background: '#f00' } });
  const exif = { IFD0: { Make: 'Canon', Model: 'EOS R5' }, IFD2: { DateTimeOriginal: '2024:05:06 07:08:09' } };
  const h = await img.clone().withMetadata({ exif, orientation: 6 } as any).heif({ compression: 'av1' } as any).toBuffer();
  console.log(h.subarray(0, 32).toString('latin1'));
  const patched = Buffer.from(h); patched.write('heic', 8, 'latin1');
  console.log(await exifr.parse(patched, true).catch((e: Error) => 'err ' + e.message));
  console.log(await exifr.parse(h, true).catch((e: Error) => 'err ' + e.message));
  const j = await img.clone().withMetadata({ exif, orientation: 6 } as any).jpeg().toBuffer();
  console.log((await exifr.parse(j)).Orientation);
})();
