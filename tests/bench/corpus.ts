import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Everything the corpus bytes depend on. Changing any field (or the generator) changes the hash,
 * which makes the next run regenerate instead of reusing a stale corpus.
 */
export const CORPUS_SPEC = {
  generator: 'sfc32-le-v1',
  seed: 0x5eed_b0c4,
  photoCount: 1000,
  // Log-uniform, like a photo library mixing web exports, phone shots and camera JPEGs.
  minPhotoBytes: 50_000,
  maxPhotoBytes: 8_000_000,
  years: [2019, 2020, 2021, 2022, 2023, 2024],
  eventsPerYear: 8,
  editsShare: 0.1,
  bigFileBytes: 2 * 1024 ** 3,
} as const;

export interface CorpusFile {
  /** Relative to the corpus root, with forward slashes. */
  path: string;
  size: number;
}

export interface Corpus {
  root: string;
  specHash: string;
  /** Folder uploaded as the small-files set. */
  photosDir: string;
  photos: CorpusFile[];
  photoBytes: number;
  bigFile: string;
  bigBytes: number;
  reused: boolean;
  generateSeconds: number;
}

interface Manifest {
  specHash: string;
  spec: typeof CORPUS_SPEC;
  files: CorpusFile[];
}

/** Small Fast Counter (sfc32): a seeded PRNG far faster in JS than anything cryptographic. */
class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number, stream: number) {
    this.a = seed >>> 0;
    this.b = stream >>> 0;
    this.c = (seed ^ Math.imul(stream, 0x9e3779b9)) >>> 0;
    // The first outputs of a freshly seeded sfc32 are poorly mixed.
    for (let i = 0; i < 15; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 2 ** 32;
  }

  fill(words: Uint32Array): void {
    let { a, b, c, d } = this;
    for (let i = 0; i < words.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      words[i] = t;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
}

const BIG_STREAM = 0xffff_ffff;
const CHUNK_BYTES = 4 * 1024 * 1024;

function specHash(): string {
  return createHash('sha256').update(JSON.stringify(CORPUS_SPEC)).digest('hex').slice(0, 16);
}

function photoLayout(): CorpusFile[] {
  const spec = CORPUS_SPEC;
  const random = new Sfc32(spec.seed, 0);
  const ratio = spec.maxPhotoBytes / spec.minPhotoBytes;
  const files: CorpusFile[] = [];
  for (let i = 0; i < spec.photoCount; i++) {
    const size = Math.round(spec.minPhotoBytes * ratio ** random.float());
    const year = spec.years[Math.floor(random.float() * spec.years.length)]!;
    const event = 1 + Math.floor(random.float() * spec.eventsPerYear);
    const edited = random.float() < spec.editsShare;
    const name = `IMG_${String(i + 1).padStart(4, '0')}${edited ? '-edit' : ''}.jpg`;
    const folder = `photos/${year}/${String(event).padStart(2, '0')}-event${edited ? '/edits' : ''}`;
    files.push({ path: `${folder}/${name}`, size });
  }
  return files;
}

function writeDeterministicFile(file: string, size: number, stream: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const random = new Sfc32(CORPUS_SPEC.seed, stream);
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const words = new Uint32Array(chunk.buffer, chunk.byteOffset, CHUNK_BYTES / 4);
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < size;) {
      const length = Math.min(CHUNK_BYTES, size - written);
      // Whole words are generated even for a short tail, so the bytes never depend on chunking.
      random.fill(length === CHUNK_BYTES ? words : words.subarray(0, Math.ceil(length / 4)));
      for (let offset = 0; offset < length;) {
        offset += writeSync(fd, chunk, offset, length - offset, written + offset);
      }
      written += length;
    }
  } finally {
    closeSync(fd);
  }
}

function sizesMatch(root: string, files: CorpusFile[]): boolean {
  return files.every((file) => {
    const full = path.join(root, file.path);
    return existsSync(full) && statSync(full).size === file.size;
  });
}

async function readManifest(file: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/**
 * Returns the corpus under `root`, generating it when the manifest is missing, was made from
 * other parameters, or a file has the wrong size. The manifest is written last, so an
 * interrupted generation is never mistaken for a complete one.
 */
export async function ensureCorpus(root: string, log: (line: string) => void): Promise<Corpus> {
  const hash = specHash();
  const photos = photoLayout();
  const big: CorpusFile = { path: 'big/footage-2GiB.mov', size: CORPUS_SPEC.bigFileBytes };
  const all = [...photos, big];
  const manifestFile = path.join(root, 'manifest.json');
  const manifest = await readManifest(manifestFile);
  const reused = manifest?.specHash === hash && sizesMatch(root, all);
  const started = performance.now();
  if (!reused) {
    log(`corpus: generating ${all.length} files under ${root} (spec ${hash}) ...`);
    rmSync(root, { recursive: true, force: true });
    photos.forEach((file, index) =>
      writeDeterministicFile(path.join(root, file.path), file.size, index + 1),
    );
    writeDeterministicFile(path.join(root, big.path), big.size, BIG_STREAM);
    const fresh: Manifest = { specHash: hash, spec: CORPUS_SPEC, files: all };
    await writeFile(manifestFile, `${JSON.stringify(fresh, null, 1)}\n`);
  }
  return {
    root,
    specHash: hash,
    photosDir: path.join(root, 'photos'),
    photos,
    photoBytes: photos.reduce((sum, file) => sum + file.size, 0),
    bigFile: path.join(root, big.path),
    bigBytes: big.size,
    reused,
    generateSeconds: reused ? 0 : (performance.now() - started) / 1000,
  };
}
