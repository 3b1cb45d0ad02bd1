import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Which store a thumbnail came from: the connection (or "environment") and its endpoint. */
export interface ThumbnailScope {
  connection: string;
  endpoint: string;
}

export interface ThumbnailKey extends ThumbnailScope {
  bucket: string;
  key: string;
  /** The ETag main read from the store; never empty in the cache. */
  etag: string;
}

/**
 * Thumbnails on disk, bounded by their total bytes: the least recently used go first. Each
 * connection has its own folder, so that removing the connection removes its thumbnails.
 */
export class ThumbnailCache {
  /** File path (relative to the cache folder) to size, in order of last use (oldest first). */
  private readonly entries = new Map<string, number>();
  private totalBytes = 0;
  /** The last use time given to a file, in milliseconds (see markUsed). */
  private lastUse = 0;

  private constructor(
    private readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Opens the folder and picks up what earlier runs left, oldest use first (by mtime). */
  static async open(dir: string, maxBytes: number): Promise<ThumbnailCache> {
    await fs.mkdir(dir, { recursive: true });
    const cache = new ThumbnailCache(dir, maxBytes);
    const names: string[] = [];
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const inside = await fs.readdir(path.join(dir, entry.name)).catch(() => []);
        for (const name of inside) {
          if (name.endsWith('.webp')) names.push(path.join(entry.name, name));
        }
      } else if (entry.name.endsWith('.webp')) {
        // Left by versions that did not key thumbnails on the connection: not to be trusted.
        await fs.rm(path.join(dir, entry.name), { force: true });
      }
    }
    const found = await Promise.all(
      names.map(async (name) => {
        const stat = await fs.lstat(path.join(dir, name)).catch(() => null);
        return stat?.isFile() ? { name, size: stat.size, used: stat.mtimeMs } : null;
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
    await this.markUsed(file);
    return data;
  }

  async put(id: ThumbnailKey, data: Buffer): Promise<void> {
    // Without an ETag, two versions of a key would share one picture.
    if (data.length > this.maxBytes || !id.etag) return;
    const name = fileName(id);
    const file = path.join(this.dir, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, data);
    await fs.rename(temporary, file);
    await this.markUsed(file);
    this.forget(name);
    this.entries.set(name, data.length);
    this.totalBytes += data.length;
    await this.evict();
  }

  has(id: ThumbnailKey): boolean {
    return this.entries.has(fileName(id));
  }

  /** Deletes every thumbnail of a connection, as when it is removed. */
  async forgetConnection(connection: string): Promise<void> {
    const folder = connectionFolder(connection);
    for (const name of [...this.entries.keys()]) {
      if (path.dirname(name) === folder) this.forget(name);
    }
    await fs.rm(path.join(this.dir, folder), { recursive: true, force: true });
  }

  /**
   * The mtime carries the order of use across restarts. Set from one clock that never repeats a
   * millisecond, since a write's own mtime (finer than a millisecond) could otherwise sort after
   * a later use.
   */
  private async markUsed(file: string): Promise<void> {
    this.lastUse = Math.max(Date.now(), this.lastUse + 1);
    const at = new Date(this.lastUse);
    await fs.utimes(file, at, at).catch(() => undefined);
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

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function connectionFolder(connection: string): string {
  return sha256(connection).slice(0, 32);
}

/**
 * Connection, endpoint, bucket, key and ETag: another store's object of the same name, or a new
 * upload under the same key, gets its own thumbnail.
 */
function fileName(id: ThumbnailKey): string {
  const parts = [id.connection, id.endpoint, id.bucket, id.key, id.etag];
  return path.join(connectionFolder(id.connection), `${sha256(parts.join('\0'))}.webp`);
}
