/**
 * A HEIC file as far as metadata readers go: an ISO-BMFF container with the `heic` brand and a
 * `meta` box whose item list holds an Exif item, located by `iloc` in `mdat`, as phones write
 * it. The prebuilt libvips of sharp cannot encode HEVC, so the file carries no coded image: it
 * exercises the HEIF container and Exif item parsing, not an image decoder.
 */
function box(kind: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(kind, 4, 'latin1');
  return Buffer.concat([head, body]);
}

function fullBox(kind: string, version: number, ...parts: Buffer[]): Buffer {
  return box(kind, Buffer.from([version, 0, 0, 0]), ...parts);
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

/** The TIFF block of a JPEG's Exif APP1 segment (what follows "Exif\0\0"). */
export function exifTiffOfJpeg(jpeg: Buffer): Buffer {
  const at = jpeg.indexOf(Buffer.from('Exif\0\0', 'latin1'));
  if (at < 2) throw new Error('the JPEG has no Exif segment');
  const segmentLength = jpeg.readUInt16BE(at - 2);
  return jpeg.subarray(at + 6, at - 2 + segmentLength);
}

export function heicWithExif(tiff: Buffer): Buffer {
  const ftyp = box(
    'ftyp',
    Buffer.from('heic', 'latin1'),
    u32(0),
    Buffer.from('mif1heic', 'latin1'),
  );
  const hdlr = fullBox(
    'hdlr',
    0,
    u32(0),
    Buffer.from('pict', 'latin1'),
    Buffer.alloc(12),
    Buffer.from([0]),
  );
  const infe = fullBox('infe', 2, u16(1), u16(0), Buffer.from('Exif', 'latin1'), Buffer.from([0]));
  const iinf = fullBox('iinf', 0, u16(1), infe);
  // An Exif item starts with the offset of the TIFF header within it: here 0.
  const exifItem = Buffer.concat([u32(0), tiff]);
  const meta = (exifOffset: number) =>
    fullBox(
      'meta',
      0,
      hdlr,
      iinf,
      // offset and length sizes 4, no base offset; one item, one extent.
      fullBox(
        'iloc',
        0,
        Buffer.from([0x44, 0x00]),
        u16(1),
        u16(1),
        u16(0),
        u16(1),
        u32(exifOffset),
        u32(exifItem.length),
      ),
    );
  const exifOffset = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(exifOffset), box('mdat', exifItem)]);
}
