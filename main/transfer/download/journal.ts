import { promises as fs } from 'node:fs';
import path from 'node:path';
import { removeDurably, writeFileDurably } from '../durableFile';
import { lockJournalDir, unlockJournalDir } from '../journalLock';
import { downloadBatchSchema, describeJournalProblem } from './journalSchema';
import type { PartialRecord } from './partialFile';

/** One object of a download batch, as the journal keeps it between launches. */
export interface DownloadItemRecord {
  id: string;
  key: string;
  /** A specific version of the key (absent in journals written before versions could be picked). */
  versionId?: string;
  /** The planned file; the bytes collect next to it in `<target>.bucketdrop-partial`. */
  target: string;
  size: number;
  /** The ETag the bytes on disk belong to; a resumed GET asks for exactly this version. */
  etag: string;
  folderMarker?: boolean;
  finished?: 'done' | 'cancelled';
  /** Where the file ended up when the planned name was taken ("keep both"). */
  savedAs?: string;
  lastError?: string;
  note?: string;
  /** The partial file this journal created: the only bytes on disk a resume may use. */
  partial?: PartialRecord;
}

export interface DownloadBatchRecord {
  id: string;
  createdAt: string;
  bucket: string;
  /** The app's connection profile; absent for the environment's credentials. */
  connectionId?: string;
  folder: string;
  /** What was asked for, e.g. the command line's s3:// argument, so a rerun finds its batch. */
  source?: string;
  items: DownloadItemRecord[];
}

const BATCH_FILE = /^download-([\w-]+)\.json$/;

/**
 * The state of unfinished downloads, one JSON file per batch, rewritten whole and renamed on each
 * change of an item (never per byte: the partial file's length is the progress). A crash at any
 * instant leaves the previous or the next version of the file, never a torn one.
 */
export class DownloadJournal {
  private readonly batches = new Map<string, DownloadBatchRecord>();
  private readonly writes = new Map<string, Promise<void>>();
  /** Journal files that failed validation on load: left on disk for inspection, never run. */
  readonly rejected: { file: string; reason: string }[] = [];

  private constructor(readonly dir: string) {}

  /** Takes the journal for this process; two processes writing the same files would collide. */
  static async open(dir: string): Promise<DownloadJournal> {
    await lockJournalDir(dir, 'the download journal');
    return new DownloadJournal(dir);
  }

  /** Every batch with something left to do. */
  async load(): Promise<DownloadBatchRecord[]> {
    const names = (await fs.readdir(this.dir)).filter((name) => BATCH_FILE.test(name)).sort();
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (this.rejected.some((entry) => entry.file === file)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(await fs.readFile(file, 'utf8'));
      } catch (error) {
        this.rejected.push({ file, reason: `unreadable: ${(error as Error).message}` });
        continue;
      }
      const checked = downloadBatchSchema.safeParse(parsed);
      if (checked.success) this.batches.set(checked.data.id, checked.data);
      else this.rejected.push({ file, reason: describeJournalProblem(checked.error) });
    }
    return [...this.batches.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async startBatch(batch: DownloadBatchRecord): Promise<void> {
    this.batches.set(batch.id, batch);
    await this.persist(batch.id);
  }

  /** Records a change of one item and resolves once it is on disk. */
  async update(batchId: string, itemId: string, patch: Partial<DownloadItemRecord>): Promise<void> {
    const item = this.batches.get(batchId)?.items.find((candidate) => candidate.id === itemId);
    if (!item) return;
    for (const [name, value] of Object.entries(patch)) {
      if (value === undefined) delete (item as unknown as Record<string, unknown>)[name];
      else (item as unknown as Record<string, unknown>)[name] = value;
    }
    await this.persist(batchId);
  }

  /** Forgets a batch whose items are all done or cancelled. */
  async finishBatch(batchId: string): Promise<void> {
    await this.writes.get(batchId);
    this.batches.delete(batchId);
    await removeDurably(this.fileOf(batchId));
  }

  async close(): Promise<void> {
    await Promise.all([...this.writes.values()]);
    await unlockJournalDir(this.dir);
  }

  private fileOf(batchId: string): string {
    return path.join(this.dir, `download-${batchId}.json`);
  }

  /** Writes are chained per batch, so an older state never lands after a newer one. */
  private persist(batchId: string): Promise<void> {
    const previous = this.writes.get(batchId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const batch = this.batches.get(batchId);
        if (!batch) return;
        await writeFileDurably(this.fileOf(batchId), JSON.stringify(batch));
      });
    this.writes.set(batchId, next);
    return next;
  }
}
