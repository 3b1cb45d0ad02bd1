import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { removeDurably, syncDir, writeFileDurably } from './durableFile';
import { describeFsError } from './errors';
import {
  type BatchHeader,
  type BatchIntent,
  type BatchOptions,
  foldRecords,
  JOURNAL_VERSION,
  type JournalBatch,
  type JournalFile,
  type JournalRecord,
  parseJournalText,
} from './journalRecords';
import { type LockOptions, lockJournalDir, unlockJournalDir } from './journalLock';

export {
  type BatchIntent,
  type BatchOptions,
  foldRecords,
  JOURNAL_VERSION,
  type JournalBatch,
  type JournalFile,
  type JournalItem,
  type JournalPart,
  type JournalRecord,
  type JournalUpload,
  parseJournalText,
} from './journalRecords';

/** A journal file that was not (or not wholly) trusted, in words for the user. */
export interface JournalProblem {
  kind: 'newer-version' | 'unreadable' | 'bad-record';
  file: string;
  message: string;
}

/** The journal could not be written: the step it was to record has not happened. */
export class JournalWriteError extends Error {
  constructor(cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    super(
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'disk full: the upload journal could not be written'
        : `the upload journal could not be written: ${describeFsError(cause)}`,
    );
  }
}

const BATCH_FILE = /^batch-([\w-]+)\.jsonl$/;
const SET_ASIDE_SUFFIX = '.unreadable';

interface PendingRecord {
  text: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface ReadResult {
  batches: JournalBatch[];
  problems: JournalProblem[];
}

function batchFile(dir: string, batchId: string): string {
  return path.join(dir, `batch-${batchId}.jsonl`);
}

function headerLine(header: BatchHeader): string {
  return JSON.stringify({ ...header, v: JOURNAL_VERSION });
}

/** The format version a batch file's first line declares; null when it has no readable header. */
function declaredVersion(content: string): number | null {
  try {
    const first = JSON.parse(content.split('\n', 1)[0]!) as Partial<BatchHeader>;
    if (first.r !== 'batch') return null;
    return typeof first.v === 'number' ? first.v : 1;
  } catch {
    return null;
  }
}

/**
 * Reads every batch file, trusting none of it: a file from a newer Bucketdrop is refused, a
 * file without a valid header is unreadable, a record that does not fit is reported and left out.
 */
async function readBatchFiles(dir: string): Promise<ReadResult & { unreadable: string[] }> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { batches: [], problems: [], unreadable: [] };
    }
    throw error;
  }
  const batches: JournalBatch[] = [];
  const problems: JournalProblem[] = [];
  const unreadable: string[] = [];
  for (const name of names.filter((n) => BATCH_FILE.test(n)).sort()) {
    const file = path.join(dir, name);
    const content = await fs.readFile(file, 'utf8');
    const version = declaredVersion(content);
    if (version !== null && version > JOURNAL_VERSION) {
      problems.push({
        kind: 'newer-version',
        file,
        message: `${file} was written by a newer version of Bucketdrop (journal format ${version}, this one reads up to ${JOURNAL_VERSION}): it is left as it is; update Bucketdrop to resume its uploads`,
      });
      continue;
    }
    const { records, damaged, invalid } = parseJournalText(content);
    const batch = foldRecords(records, damaged);
    // The header names the file it belongs to: one naming another would finish the wrong batch.
    if (!batch || batch.id !== BATCH_FILE.exec(name)![1]) {
      unreadable.push(file);
      continue;
    }
    for (const bad of invalid) {
      problems.push({
        kind: 'bad-record',
        file,
        message: `${file}, line ${bad.line}: not a valid journal record (${bad.cause}); it is ignored`,
      });
    }
    batches.push(batch);
  }
  batches.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { batches, problems, unreadable };
}

/** Reads the journal without changing it (status, abort-incomplete), with what was not trusted. */
export async function inspectJournal(dir: string): Promise<ReadResult> {
  const { batches, problems, unreadable } = await readBatchFiles(dir);
  for (const file of unreadable) {
    problems.push({
      kind: 'unreadable',
      file,
      message: `${file} could not be read as a journal (no valid batch header)`,
    });
  }
  return { batches, problems };
}

export async function readJournal(dir: string): Promise<JournalBatch[]> {
  return (await inspectJournal(dir)).batches;
}

/** Moves an unreadable batch file out of the way under a name that says so; never deletes it. */
async function setAside(file: string): Promise<string> {
  let aside = `${file}${SET_ASIDE_SUFFIX}`;
  for (
    let n = 2;
    await fs.stat(aside).then(
      () => true,
      () => false,
    );
    n++
  ) {
    aside = `${file}${SET_ASIDE_SUFFIX}-${n}`;
  }
  await fs.rename(file, aside);
  await syncDir(path.dirname(file));
  return aside;
}

/**
 * An append-only log per batch, synced to disk after every record, so that a kill -9 or a power
 * cut at any instant leaves enough to resume: at worst the last line is torn, and that part is
 * found again through ListParts. Every batch file created, renamed or removed has its folder
 * synced too: until then the name itself could be lost to a power cut.
 */
export class Journal {
  private readonly handles = new Map<string, { handle: FileHandle; size: number }>();
  private readonly pending = new Map<string, PendingRecord[]>();
  private readonly flushes = new Map<string, Promise<void>>();
  /** What the last load did not trust, for the user to be told. */
  problems: JournalProblem[] = [];

  private constructor(readonly dir: string) {}

  /** Takes the journal for this process; two engines resuming the same uploads would collide. */
  static async open(dir: string, lock: LockOptions = {}): Promise<Journal> {
    await lockJournalDir(dir, 'the journal', lock);
    return new Journal(dir);
  }

  async load(): Promise<JournalBatch[]> {
    const { unreadable } = await readBatchFiles(this.dir);
    const asides: JournalProblem[] = [];
    for (const file of unreadable) {
      const aside = await setAside(file);
      asides.push({
        kind: 'unreadable',
        file,
        message: `${file} could not be read as a journal (no valid batch header): it is kept as ${aside}, and its uploads are not resumed`,
      });
    }
    await this.repairTornTails();
    const { batches, problems } = await readBatchFiles(this.dir);
    this.problems = [...asides, ...problems];
    return batches;
  }

  /** Writes a fully planned batch at once: it is either whole on disk or absent. */
  async startBatch(header: BatchHeader, files: JournalFile[]): Promise<void> {
    const lines = [
      headerLine(header),
      ...files.map((file) => JSON.stringify({ r: 'item', ...file })),
      JSON.stringify({ r: 'planned' }),
    ];
    await this.createFile(header.id, lines);
  }

  /** Journals what was asked for before the folders are walked: a crash then loses nothing. */
  async beginBatch(header: BatchHeader, intent: BatchIntent): Promise<void> {
    await this.createFile(header.id, [
      headerLine(header),
      JSON.stringify({ r: 'intent', ...intent }),
    ]);
  }

  /** Adds planned files to a begun batch, in one write. */
  addItems(batchId: string, files: JournalFile[]): Promise<void> {
    const lines = files.map((file) => JSON.stringify({ r: 'item', ...file }) + '\n');
    return lines.length === 0 ? Promise.resolve() : this.append(batchId, lines.join(''));
  }

  /** Marks a begun batch as planned, with the options finally chosen: it is ready to upload. */
  markPlanned(batchId: string, options: BatchOptions): Promise<void> {
    return this.record(batchId, { r: 'planned', options });
  }

  /**
   * Appends a record and resolves once it is on disk. Records that arrive while a sync is under
   * way are written and synced together (group commit): one sync per record would make every
   * small file wait for the disk in turn.
   */
  record(batchId: string, record: JournalRecord): Promise<void> {
    return this.append(batchId, JSON.stringify(record) + '\n');
  }

  async finishBatch(batchId: string): Promise<void> {
    while (this.flushes.has(batchId)) await this.flushes.get(batchId);
    await this.handles.get(batchId)?.handle.close();
    this.handles.delete(batchId);
    await removeDurably(batchFile(this.dir, batchId));
  }

  async close(): Promise<void> {
    while (this.flushes.size > 0) await Promise.all([...this.flushes.values()]);
    await Promise.all([...this.handles.values()].map(({ handle }) => handle.close()));
    this.handles.clear();
    await unlockJournalDir(this.dir);
  }

  private async createFile(batchId: string, lines: string[]): Promise<void> {
    try {
      await writeFileDurably(batchFile(this.dir, batchId), lines.join('\n') + '\n');
    } catch (error) {
      throw new JournalWriteError(error);
    }
  }

  private append(batchId: string, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let pending = this.pending.get(batchId);
      if (!pending) this.pending.set(batchId, (pending = []));
      pending.push({ text, resolve, reject });
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

  private async flush(batchId: string): Promise<void> {
    for (;;) {
      const batch = this.pending.get(batchId);
      if (!batch || batch.length === 0) return;
      this.pending.delete(batchId);
      try {
        await this.write(batchId, batch.map((entry) => entry.text).join(''));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        const failure = new JournalWriteError(error);
        for (const entry of batch) entry.reject(failure);
      }
    }
  }

  /**
   * A write that fails halfway (a full disk) is cut back to the last whole record, so that the
   * next record does not get glued onto a fragment and the file stays readable.
   */
  private async write(batchId: string, text: string): Promise<void> {
    let open = this.handles.get(batchId);
    if (!open) {
      const handle = await fs.open(batchFile(this.dir, batchId), 'a');
      open = { handle, size: (await handle.stat()).size };
      this.handles.set(batchId, open);
    }
    const bytes = Buffer.from(text);
    try {
      // A write may be short (the disk filling up): what is missing is written again.
      for (let offset = 0; offset < bytes.length;) {
        offset += (await open.handle.write(bytes, offset)).bytesWritten;
      }
      await open.handle.datasync();
      open.size += bytes.length;
    } catch (error) {
      await open.handle.truncate(open.size).catch(() => undefined);
      throw error;
    }
  }

  /** Cuts a torn last line so that new records do not get glued onto it. */
  private async repairTornTails(): Promise<void> {
    const { batches } = await readBatchFiles(this.dir);
    for (const batch of batches) {
      const file = batchFile(this.dir, batch.id);
      const content = await fs.readFile(file, 'utf8');
      if (content === '' || content.endsWith('\n')) continue;
      await fs.truncate(file, Buffer.byteLength(content.slice(0, content.lastIndexOf('\n') + 1)));
    }
  }
}
