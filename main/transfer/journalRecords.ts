import path from 'node:path';
import { z } from 'zod';
import type { UploadOptions } from '../../preload/contract';
import { uploadOptionsSchema } from '../service/uploadOptionsSchema';
import { CHECKSUM_MODES, type ChecksumMode } from '../s3/checksums';
import { CONFLICT_POLICIES, type ConflictPolicy } from './conflicts';
import { MAX_KEY_BYTES } from './keys';

/**
 * The version of the journal format this build writes and reads. A journal from a newer
 * Bucketdrop may mean something this one would misread, so it is refused and left untouched.
 * Version 1 (no `v` in the header) is read as it is.
 */
export const JOURNAL_VERSION = 2;

/** Settings a batch was started with; a resumed batch must keep them, whoever resumes it. */
export interface BatchOptions {
  checksumMode: ChecksumMode;
  onConflict: ConflictPolicy;
  partSize: number;
  multipartThreshold: number;
  /** How objects are stored; absent in journals written before upload options existed. */
  upload?: UploadOptions;
}

/** What was asked for, journaled before the folders are walked, so a crash then loses nothing. */
export interface BatchIntent {
  /** The dropped files and folders, absolute. */
  sources: string[];
  prefix: string;
  includeJunk: boolean;
  /** Links out of the dropped folders were chosen to be followed; absent means no. */
  followOutsideLinks?: boolean;
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

export type BatchHeader = {
  r: 'batch';
  /** The journal format; absent means 1. */
  v?: number;
  id: string;
  createdAt: string;
  bucket: string;
  options: BatchOptions;
  /** The app's connection profile; absent for the environment's credentials. */
  connectionId?: string;
};

export type JournalRecord =
  | BatchHeader
  | ({ r: 'intent' } & BatchIntent)
  | ({ r: 'item' } & JournalFile)
  /** The walk is over and every item is journaled; the options are the ones finally chosen. */
  | { r: 'planned'; options?: BatchOptions }
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
  /** Set while the batch is being planned, or when a crash interrupted the planning. */
  intent?: BatchIntent;
  /** Lines that could not be read back, e.g. the torn last line after a power cut. */
  damagedLines: number;
}

// What a journal line may hold. The journal is a file anyone on the machine may have edited:
// a record that does not fit is reported and never acted on.
const text = z.string().max(4096);
const absolutePath = z
  .string()
  .min(2)
  .max(4096)
  .refine(
    (value) => !value.includes('\0') && /^([a-zA-Z]:)?[\\/]/.test(value),
    'not an absolute path',
  );
const objectKey = z
  .string()
  .min(1)
  .refine((value) => Buffer.byteLength(value) <= MAX_KEY_BYTES, 'key too long');
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const batchOptionsSchema = z.object({
  checksumMode: z.enum(CHECKSUM_MODES as [ChecksumMode, ...ChecksumMode[]]),
  onConflict: z.enum(CONFLICT_POLICIES as [ConflictPolicy, ...ConflictPolicy[]]),
  partSize: count.min(1),
  multipartThreshold: count,
  upload: uploadOptionsSchema.optional(),
});
const itemRef = z.string().min(1).max(200);

export const headerSchema = z.object({
  r: z.literal('batch'),
  v: z.number().int().positive().optional(),
  id: z.string().regex(/^[\w-]{1,100}$/),
  createdAt: text,
  bucket: z.string().regex(/^[a-zA-Z0-9._-]{1,255}$/, 'not a bucket name'),
  options: batchOptionsSchema,
  connectionId: z.string().max(200).optional(),
}) satisfies z.ZodType<BatchHeader>;

const recordSchema = z.discriminatedUnion('r', [
  headerSchema,
  z.object({
    r: z.literal('intent'),
    sources: z.array(absolutePath).min(1).max(100_000),
    prefix: z.string().max(MAX_KEY_BYTES),
    includeJunk: z.boolean(),
    followOutsideLinks: z.boolean().optional(),
  }),
  z.object({
    r: z.literal('item'),
    id: itemRef,
    path: absolutePath,
    key: objectKey,
    size: count,
    mtimeMs: z.number().nonnegative(),
    ctimeMs: z.number().nonnegative().optional(),
    dev: z.number().nonnegative().optional(),
    ino: z.number().nonnegative().optional(),
    contentType: text,
  }),
  z.object({ r: z.literal('planned'), options: batchOptionsSchema.optional() }),
  z.object({ r: z.literal('creating'), item: itemRef, key: objectKey, at: count }),
  z.object({
    r: z.literal('upload'),
    item: itemRef,
    key: objectKey,
    uploadId: z.string().min(1).max(1024),
    partSize: count.min(1),
  }),
  z.object({
    r: z.literal('part'),
    item: itemRef,
    n: z.number().int().min(1).max(10_000),
    etag: z.string().min(1).max(200),
    crc32: z.string().max(64).optional(),
  }),
  z.object({
    r: z.literal('restart'),
    item: itemRef,
    reason: text,
    size: count,
    mtimeMs: z.number().nonnegative(),
    ctimeMs: z.number().nonnegative().optional(),
  }),
  z.object({ r: z.literal('key'), item: itemRef, key: objectKey }),
  z.object({
    r: z.literal('done'),
    item: itemRef,
    outcome: z.enum(['uploaded', 'skipped']),
    note: text.optional(),
  }),
  z.object({ r: z.literal('failed'), item: itemRef, error: text }),
  z.object({ r: z.literal('cancelled'), item: itemRef }),
]);

/** An item must be a file under what was dropped, bound for the batch's prefix. */
function outsideIntent(file: JournalFile, intent: BatchIntent): string | null {
  const inside = intent.sources.some(
    (source) => file.path === source || file.path.startsWith(source.replace(/[\\/]?$/, path.sep)),
  );
  if (!inside) return 'path: not under the files and folders dropped for this batch';
  if (!file.key.startsWith(intent.prefix)) return "key: not under the batch's prefix";
  return null;
}

/** A line that is not a valid record: where, and why, in words. */
export interface BadLine {
  line: number;
  cause: string;
}

/**
 * Parses JSON lines, tolerating a torn or garbled line instead of losing the whole batch. A line
 * that parses but does not fit the schema is reported too.
 */
export function parseJournalText(content: string): {
  records: JournalRecord[];
  damaged: number;
  invalid: BadLine[];
} {
  const records: JournalRecord[] = [];
  const invalid: BadLine[] = [];
  let damaged = 0;
  let intent: BatchIntent | null = null;
  content.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      damaged++;
      return;
    }
    const parsed = recordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      invalid.push({
        line: index + 1,
        cause: `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`,
      });
      return;
    }
    const record = parsed.data as JournalRecord;
    if (record.r === 'intent') intent = record;
    const outside = record.r === 'item' && intent ? outsideIntent(record, intent) : null;
    if (outside) invalid.push({ line: index + 1, cause: outside });
    else records.push(record);
  });
  return { records, damaged: damaged + invalid.length, invalid };
}

/** A file and the key it was planned for: the same file dropped twice may go to two keys. */
export function plannedIdentity(file: { path: string; key: string }): string {
  return `${file.path}\0${file.key}`;
}

/** Folds a batch's records into its current state. Pure, so resume logic is testable. */
export function foldRecords(records: JournalRecord[], damagedLines = 0): JournalBatch | null {
  const header = records.find((record) => record.r === 'batch');
  if (!header || header.r !== 'batch') return null;
  const items = new Map<string, JournalItem>();
  let options = header.options;
  let intent: BatchIntent | undefined;
  let planned = false;
  const plannedFiles = new Set<string>();
  for (const record of records) {
    if (record.r === 'batch') continue;
    if (record.r === 'intent') {
      const { r: _r, ...asked } = record;
      intent = asked;
      continue;
    }
    if (record.r === 'planned') {
      planned = true;
      if (record.options) options = record.options;
      continue;
    }
    if (record.r === 'item') {
      const { r: _r, ...file } = record;
      // A re-planned batch never lists a file twice, even if the first plan was half written.
      const identity = plannedIdentity(file);
      if (!plannedFiles.has(identity)) items.set(record.id, { ...file });
      plannedFiles.add(identity);
      continue;
    }
    const item = items.get(record.item);
    if (!item) continue;
    applyItemRecord(item, record);
  }
  return {
    id: header.id,
    createdAt: header.createdAt,
    bucket: header.bucket,
    ...(header.connectionId ? { connectionId: header.connectionId } : {}),
    options,
    items: [...items.values()],
    ...(intent && !planned ? { intent } : {}),
    damagedLines,
  };
}

type ItemRecord = Exclude<JournalRecord, { r: 'batch' | 'intent' | 'planned' | 'item' }>;

function applyItemRecord(item: JournalItem, record: ItemRecord): void {
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
