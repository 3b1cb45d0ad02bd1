import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { UploadOptions } from '../../preload/contract';
import type { ChecksumMode } from '../s3/checksums';
import type { ConflictPolicy } from './conflicts';
import { lockJournalDir, unlockJournalDir } from './journalLock';

/** Settings a batch was started with; a resumed batch must keep them, whoever resumes it. */
export interface BatchOptions {
  checksumMode: ChecksumMode;
  onConflict: ConflictPolicy;
  partSize: number;
  multipartThreshold: number;
  /** How objects are stored; absent in journals written before upload options existed. */
  upload?: UploadOptions;
}

export interface JournalFile {
  id: string;
  path: string;
  key: string;
  size: number;
  mtimeMs: number;
  /** The rest of the file's identity (see sourceFile.ts); absent in older journals. */
  ctimeMs?: number;
  dev?: number;
  ino?: number;
  contentType: string;
}

export interface JournalPart {
  n: number;
  etag: string;
  crc32?: string;
}

export type JournalRecord =
  | {
      r: 'batch';
      id: string;
      createdAt: string;
      bucket: string;
      options: BatchOptions;
      /** The app's connection profile; absent for the environment's credentials. */
      connectionId?: string;
    }
  | ({ r: 'item' } & JournalFile)
  /** Written before CreateMultipartUpload is sent, so a crash before its answer is known. */
  | { r: 'creating'; item: string; key: string; at: number }
  | { r: 'upload'; item: string; key: string; uploadId: string; partSize: number }
  | ({ r: 'part'; item: string } & JournalPart)
  | {
      r: 'restart';
      item: string;
      reason: string;
      size: number;
      mtimeMs: number;
      ctimeMs?: number;
    }
  /** The conflict policy has been applied; the key is final. */
  | { r: 'key'; item: string; key: string }
  | { r: 'done'; item: string; outcome: 'uploaded' | 'skipped'; note?: string }
  | { r: 'failed'; item: string; error: string }
  | { r: 'cancelled'; item: string };

export interface JournalUpload {
  uploadId: string;
  key: string;
  partSize: number;
  parts: Map<number, JournalPart>;
}

export interface JournalItem extends JournalFile {
  /**
   * A CreateMultipartUpload sent at `at` whose answer was never journaled: the server may have
   * made an upload that only this item knows to be lost.
   */
  creating?: { key: string; at: number };
  upload?: JournalUpload;
  finished?: 'done' | 'cancelled';
  conflictChecked?: boolean;
  lastError?: string;
  restartReason?: string;
}

export interface JournalBatch {
  id: string;
  createdAt: string;
  bucket: string;
  connectionId?: string;
  options: BatchOptions;
  items: JournalItem[];
  /** Lines that could not be read back, e.g. the torn last line after a power cut. */
  damagedLines: number;
}

const BATCH_FILE = /^batch-([\w-]+)\.jsonl$/;

interface PendingRecord {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function batchFile(dir: string, batchId: string): string {
  return path.join(dir, `batch-${batchId}.jsonl`);
}

/** Folds a batch's records into its current state. Pure, so resume logic is testable. */
export function foldRecords(records: JournalRecord[], damagedLines = 0): JournalBatch | null {
  const header = records.find((record) => record.r === 'batch');
  if (!header || header.r !== 'batch') return null;
  const items = new Map<string, JournalItem>();
  for (const record of records) {
    if (record.r === 'batch') continue;
    if (record.r === 'item') {
      const { r: _r, ...file } = record;
      items.set(record.id, { ...file });
      continue;
    }
    const item = items.get(record.item);
    if (!item) continue;
    switch (record.r) {
      case 'creating':
        item.creating = { key: record.key, at: record.at };
        break;
      case 'upload':
        delete item.creating;
        item.upload = {
          uploadId: record.uploadId,
          key: record.key,
          partSize: record.partSize,
          parts: new Map(),
        };
        item.key = record.key;
        break;
      case 'part':
        item.upload?.parts.set(record.n, {
          n: record.n,
          etag: record.etag,
          ...(record.crc32 ? { crc32: record.crc32 } : {}),
        });
        break;
      case 'restart':
        delete item.upload;
        item.restartReason = record.reason;
        item.size = record.size;
        item.mtimeMs = record.mtimeMs;
        if (record.ctimeMs !== undefined) item.ctimeMs = record.ctimeMs;
        break;
      case 'key':
        item.key = record.key;
        item.conflictChecked = true;
        break;
      case 'done':
        item.finished = 'done';
        break;
      case 'cancelled':
        item.finished = 'cancelled';
        break;
      case 'failed':
        item.lastError = record.error;
        break;
    }
  }
  return {
    id: header.id,
    createdAt: header.createdAt,
    bucket: header.bucket,
    ...(header.connectionId ? { connectionId: header.connectionId } : {}),
    options: header.options,
    items: [...items.values()],
    damagedLines,
  };
}

/** Parses JSON lines, tolerating a torn or garbled line instead of losing the whole batch. */
export function parseJournalText(text: string): { records: JournalRecord[]; damaged: number } {
  const records: JournalRecord[] = [];
  let damaged = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      damaged++;
    }
  }
  return { records, damaged };
}

export async function readJournal(dir: string): Promise<JournalBatch[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const batches: JournalBatch[] = [];
  for (const name of names.filter((n) => BATCH_FILE.test(n)).sort()) {
    const text = await fs.readFile(path.join(dir, name), 'utf8');
    const { records, damaged } = parseJournalText(text);
    const batch = foldRecords(records, damaged);
    if (batch) batches.push(batch);
  }
  return batches.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * An append-only log per batch, synced to disk after every record, so that a kill -9 or a power
 * cut at any instant leaves enough to resume: at worst the last line is torn, and that part is
 * found again through ListParts.
 */
export class Journal {
  private readonly handles = new Map<string, FileHandle>();
  private readonly pending = new Map<string, PendingRecord[]>();
  private readonly flushes = new Map<string, Promise<void>>();

  private constructor(readonly dir: string) {}

  /** Takes the journal for this process; two engines resuming the same uploads would collide. */
  static async open(dir: string): Promise<Journal> {
    await lockJournalDir(dir, 'the journal');
    return new Journal(dir);
  }

  async load(): Promise<JournalBatch[]> {
    await this.repairTornTails();
    return readJournal(this.dir);
  }

  async startBatch(
    header: Extract<JournalRecord, { r: 'batch' }>,
    files: JournalFile[],
  ): Promise<void> {
    const lines = [header, ...files.map((file) => ({ r: 'item' as const, ...file }))];
    const target = batchFile(this.dir, header.id);
    const temporary = `${target}.tmp`;
    // Written whole and renamed, so a batch is either fully planned on disk or absent.
    const handle = await fs.open(temporary, 'w');
    try {
      await handle.writeFile(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
  }

  /**
   * Appends a record and resolves once it is on disk. Records that arrive while a sync is under
   * way are written and synced together (group commit): one sync per record would make every
   * small file wait for the disk in turn.
   */
  record(batchId: string, record: JournalRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      let pending = this.pending.get(batchId);
      if (!pending) this.pending.set(batchId, (pending = []));
      pending.push({ line: JSON.stringify(record) + '\n', resolve, reject });
      this.startFlush(batchId);
    });
  }

  private startFlush(batchId: string): void {
    if (this.flushes.has(batchId)) return;
    const flushing = this.flush(batchId).finally(() => {
      this.flushes.delete(batchId);
      // A record may have arrived between the last write and this cleanup.
      if (this.pending.get(batchId)?.length) this.startFlush(batchId);
    });
    this.flushes.set(batchId, flushing);
  }

  async finishBatch(batchId: string): Promise<void> {
    while (this.flushes.has(batchId)) await this.flushes.get(batchId);
    await this.handles.get(batchId)?.close();
    this.handles.delete(batchId);
    await fs.rm(batchFile(this.dir, batchId), { force: true });
  }

  async close(): Promise<void> {
    while (this.flushes.size > 0) await Promise.all([...this.flushes.values()]);
    await Promise.all([...this.handles.values()].map((handle) => handle.close()));
    this.handles.clear();
    await unlockJournalDir(this.dir);
  }

  private async flush(batchId: string): Promise<void> {
    for (;;) {
      const batch = this.pending.get(batchId);
      if (!batch || batch.length === 0) return;
      this.pending.delete(batchId);
      try {
        const handle = await this.handleFor(batchId);
        await handle.write(batch.map((entry) => entry.line).join(''));
        await handle.datasync();
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
  }

  private async handleFor(batchId: string): Promise<FileHandle> {
    let handle = this.handles.get(batchId);
    if (!handle) {
      handle = await fs.open(batchFile(this.dir, batchId), 'a');
      this.handles.set(batchId, handle);
    }
    return handle;
  }

  /** Cuts a torn last line so that new records do not get glued onto it. */
  private async repairTornTails(): Promise<void> {
    for (const name of (await fs.readdir(this.dir)).filter((n) => BATCH_FILE.test(n))) {
      const file = path.join(this.dir, name);
      const text = await fs.readFile(file, 'utf8');
      if (text === '' || text.endsWith('\n')) continue;
      await fs.truncate(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
    }
  }
}
