import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface ThumbnailKey {
  bucket: string;
  key: string;
  etag: string;
}

/** Thumbnails on disk, bounded by their total bytes: the least recently used go first. */
export class ThumbnailCache {
  /** File name to size, in order of last use (oldest first). */
  private readonly entries = new Map<string, number>();
  private totalBytes = 0;

  private constructor(
    private readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Opens the folder and picks up what earlier runs left, oldest use first (by mtime). */
  static async open(dir: string, maxBytes: number): Promise<ThumbnailCache> {
    await fs.mkdir(dir, { recursive: true });
    const cache = new ThumbnailCache(dir, maxBytes);
    const found = await Promise.all(
      (await fs.readdir(dir))
        .filter((name) => name.endsWith('.webp'))
        .map(async (name) => {
          const stat = await fs.stat(path.join(dir, name)).catch(() => null);
          return stat ? { name, size: stat.size, used: stat.mtimeMs } : null;
        }),
    );
    for (const entry of found
      .filter((e): e is NonNullable<typeof e> => e !== null)
      .sort((a, b) => a.used - b.used)) {
      cache.entries.set(entry.name, entry.size);
      cache.totalBytes += entry.size;
    }
    await cache.evict();
    return cache;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The cached thumbnail, marked as just used; null when absent. */
  async get(id: ThumbnailKey): Promise<Buffer | null> {
    const name = fileName(id);
    if (!this.entries.has(name)) return null;
    const file = path.join(this.dir, name);
    const data = await fs.readFile(file).catch(() => null);
    if (!data) {
      this.forget(name);
      return null;
    }
    this.touch(name);
    const now = new Date();
    // The mtime carries the order of use across restarts.
    await fs.utimes(file, now, now).catch(() => undefined);
    return data;
  }

  async put(id: ThumbnailKey, data: Buffer): Promise<void> {
    if (data.length > this.maxBytes) return;
    const name = fileName(id);
    const file = path.join(this.dir, name);
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, data);
    await fs.rename(temporary, file);
    this.forget(name);
    this.entries.set(name, data.length);
    this.totalBytes += data.length;
    await this.evict();
  }

  has(id: ThumbnailKey): boolean {
    return this.entries.has(fileName(id));
  }

  private touch(name: string): void {
    const size = this.entries.get(name);
    if (size === undefined) return;
    this.entries.delete(name);
    this.entries.set(name, size);
  }

  private forget(name: string): void {
    const size = this.entries.get(name);
    if (size === undefined) return;
    this.entries.delete(name);
    this.totalBytes -= size;
  }

  private async evict(): Promise<void> {
    for (const name of this.entries.keys()) {
      if (this.totalBytes <= this.maxBytes) break;
      this.forget(name);
      await fs.rm(path.join(this.dir, name), { force: true });
    }
  }
}

/** Bucket, key and ETag: a new upload under the same key gets a new thumbnail. */
function fileName(id: ThumbnailKey): string {
  return `${createHash('sha256').update(`${id.bucket}\0${id.key}\0${id.etag}`).digest('hex')}.webp`;
}
