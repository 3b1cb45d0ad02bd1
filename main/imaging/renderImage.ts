import sharp from 'sharp';
import {
  NON_SEQUENTIAL_PIXEL_LIMIT,
  PREVIEW_PIXEL_LIMIT,
  type RenderJob,
  type RenderResult,
  TOO_LARGE,
} from './renderJob';

/**
 * Decodes and resizes one image, refusing from its header alone what would be too costly: more
 * pixels than the limit, or an interlaced/progressive image too large to decode sequentially.
 * Runs inside the decoder process, never in main.
 */
export async function renderImage(input: Uint8Array, job: RenderJob): Promise<RenderResult> {
  const limit = job.maxPixels ?? PREVIEW_PIXEL_LIMIT;
  const options = { failOn: 'error', limitInputPixels: limit, sequentialRead: true } as const;
  let pixels: number;
  try {
    const meta = await sharp(input, options).metadata();
    pixels = (meta.width ?? 0) * (meta.height ?? 0) * Math.max(1, meta.pages ?? 1);
    if (pixels > limit) return { ok: false, reason: TOO_LARGE };
    if (meta.isProgressive && pixels > NON_SEQUENTIAL_PIXEL_LIMIT) {
      return { ok: false, reason: TOO_LARGE };
    }
  } catch (error) {
    return { ok: false, reason: describeDecodeError(error) };
  }
  try {
    const images = [];
    for (const output of job.outputs) {
      const { data, info } = await sharp(input, options)
        .rotate()
        .resize(output.edge, output.edge, { fit: 'inside', withoutEnlargement: true })
        .toFormat(output.format, output.quality ? { quality: output.quality } : {})
        .toBuffer({ resolveWithObject: true });
      images.push({ data, width: info.width, height: info.height, format: output.format });
    }
    return { ok: true, images };
  } catch (error) {
    return { ok: false, reason: describeDecodeError(error) };
  }
}

function describeDecodeError(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  if (/pixel limit/i.test(message)) return TOO_LARGE;
  return `preview unavailable: not a readable image (${message.split('\n')[0]})`;
}
