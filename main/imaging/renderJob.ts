/**
 * What the image decoder is asked to do, and what it answers: the contract between the process
 * that holds the credentials and the disposable process that decodes untrusted bytes. Thumbnails,
 * version previews and renditions all ask for one or more resized copies of one image.
 */
export type RenderFormat = 'webp' | 'png' | 'jpeg';

export interface RenderOutput {
  /** Longest side, in pixels; images are never enlarged. */
  edge: number;
  format: RenderFormat;
  /** 1–100, for the lossy formats. */
  quality?: number;
}

export interface RenderJob {
  outputs: RenderOutput[];
  /** Refused above this many pixels (width × height); previews use PREVIEW_PIXEL_LIMIT. */
  maxPixels?: number;
}

export interface RenderedImage {
  data: Uint8Array;
  width: number;
  height: number;
  format: RenderFormat;
}

export type RenderResult = { ok: true; images: RenderedImage[] } | { ok: false; reason: string };

/** About 40 megapixels: any camera's photo, not a decompression bomb. */
export const PREVIEW_PIXEL_LIMIT = 40_000_000;
/**
 * Interlaced PNGs and progressive JPEGs cannot be decoded a strip at a time: the whole image sits
 * in memory at once (and a single Adam7 step ignores sharp's timeout). Above this, they are refused.
 */
export const NON_SEQUENTIAL_PIXEL_LIMIT = 4_000_000;
/** What one decoder process may hold before it is killed. */
export const DECODER_MEMORY_BYTES = 768 * 1024 * 1024;
/** How long one image may take before its process is killed. */
export const DECODER_TIME_MS = 15_000;

export const TOO_LARGE = 'preview unavailable: image too large';

/** Messages between main and the decoder process. */
export interface RenderRequestMessage {
  id: number;
  input: Uint8Array;
  job: RenderJob;
}
export type RenderResponseMessage = { id: number } & RenderResult;
