/**
 * Local audit trail of version operations, so support staff can answer "who restored what, when"
 * without relying on the store's own logging (S3-compatible stores often have none).
 * One JSON object per line: appending a line never rewrites earlier records, and a crash can at
 * worst leave one torn last line, which reading skips.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export type AuditOperation = 'restore' | 'undelete' | 'delete' | 'permanent-delete';

export interface AuditEntry {
  /** ISO 8601. */
  time: string;
  operation: AuditOperation;
  profile: string;
  bucket: string;
  key: string;
  /** The latest version before the operation (for a permanent delete: the version removed). */
  fromVersion?: string;
  /** The latest version after it (a new copy, the uncovered version or a new delete marker). */
  toVersion?: string;
  result: 'ok' | 'failed';
  /** How it was done (e.g. undelete strategy, copied-from version) or why it failed. */
  detail?: string;
  /** The resumable prefix restore this was part of, so that a rerun records each key once. */
  job?: string;
}

export const AUDIT_FILE_NAME = 'versions-audit.jsonl';

const CSV_COLUMNS: (keyof AuditEntry)[] = [
  'time',
  'operation',
  'profile',
  'bucket',
  'key',
  'fromVersion',
  'toVersion',
  'result',
  'detail',
];

function csvField(value: string | undefined): string {
  const text = value ?? '';
  // Quote fields that would break the row, and neutralise leading characters that spreadsheets
  // would run as formulas (keys are user-chosen text).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export class AuditLog {
  readonly file: string;
  // Appends go one after another so concurrent operations never interleave within a line.
  private tail: Promise<void> = Promise.resolve();
  private folderMade = false;

  constructor(folder: string) {
    this.file = path.join(folder, AUDIT_FILE_NAME);
  }

  record(entry: Omit<AuditEntry, 'time'> & { time?: string }): Promise<void> {
    const full: AuditEntry = { ...entry, time: entry.time ?? new Date().toISOString() };
    const line = `${JSON.stringify(full)}\n`;
    const write = this.tail.then(async () => {
      if (!this.folderMade) await mkdir(path.dirname(this.file), { recursive: true });
      this.folderMade = true;
      await appendFile(this.file, line, { encoding: 'utf8', mode: 0o600 });
    });
    this.tail = write.catch(() => {});
    return write;
  }

  async entries(): Promise<AuditEntry[]> {
    await this.tail;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: AuditEntry[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        // A torn line from a crash mid-append: the rest of the log is still good.
      }
    }
    return entries;
  }

  async exportJson(): Promise<string> {
    return `${JSON.stringify(await this.entries(), null, 2)}\n`;
  }

  async exportCsv(): Promise<string> {
    const rows = [CSV_COLUMNS.join(',')];
    for (const entry of await this.entries()) {
      rows.push(CSV_COLUMNS.map((column) => csvField(entry[column])).join(','));
    }
    return `${rows.join('\r\n')}\r\n`;
  }
}

/** What operations need to record themselves: the log and whose credentials acted. */
export interface AuditContext {
  log: AuditLog;
  profile: string;
  /** Set by a resumable prefix restore (see restoreJob.ts). */
  job?: string;
}
