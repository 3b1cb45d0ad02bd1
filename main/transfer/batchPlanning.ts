import path from 'node:path';
import type { BatchIntent, BatchOptions, JournalBatch, JournalFile, JournalItem } from './journal';
import { type BatchHeader, plannedIdentity } from './journalRecords';
import { DEFAULT_JUNK_FILTER } from './junk';
import { planUpload, type PlannedFile, type UploadPlan } from './planner';

/** A batch's settings: the engine's, with what the caller chose for this batch on top. */
export function batchOptionsFrom(
  defaults: BatchOptions,
  overrides: Partial<BatchOptions>,
): BatchOptions {
  const { checksumMode, onConflict, partSize, multipartThreshold } = defaults;
  return { checksumMode, onConflict, partSize, multipartThreshold, ...overrides };
}

export function batchHeader(
  id: string,
  bucket: string,
  options: BatchOptions,
  connectionId?: string,
): BatchHeader {
  const createdAt = new Date().toISOString();
  return { r: 'batch', id, createdAt, bucket, options, ...(connectionId ? { connectionId } : {}) };
}

/** A batch just planned in this process, as the engine queues it. */
export function plannedBatch(
  id: string,
  bucket: string,
  options: BatchOptions,
  connectionId: string | undefined,
  items: JournalItem[],
): JournalBatch {
  const connection = connectionId ? { connectionId } : {};
  return { id, bucket, ...connection, options, items, createdAt: '', damagedLines: 0 };
}

/** What a batch was asked to upload, as journaled before its folders are walked. */
export function intentFor(
  sources: string[],
  prefix: string,
  includeJunk: boolean,
  followOutsideLinks = false,
): BatchIntent {
  return {
    sources: sources.map((source) => path.resolve(source)),
    prefix,
    includeJunk,
    ...(followOutsideLinks ? { followOutsideLinks } : {}),
  };
}

/** Walks the folders of a batch whose planning a crash interrupted, as the first walk did. */
export function replan(intent: BatchIntent, bucket: string): Promise<UploadPlan> {
  return planUpload(intent.sources, {
    bucket,
    prefix: intent.prefix,
    junkFilter: { ...DEFAULT_JUNK_FILTER, enabled: !intent.includeJunk },
    followOutsideLinks: intent.followOutsideLinks === true,
  });
}

/**
 * The journal entries of planned files not journaled yet: a plan written halfway before a crash
 * is kept, and its files are neither listed twice nor given an id already taken.
 */
export function newJournalFiles(
  batchId: string,
  files: PlannedFile[],
  alreadyPlanned: JournalItem[],
): JournalFile[] {
  const known = new Set(alreadyPlanned.map(plannedIdentity));
  const taken = new Set(alreadyPlanned.map((item) => item.id));
  let next = 0;
  const result: JournalFile[] = [];
  for (const file of files) {
    if (known.has(plannedIdentity(file))) continue;
    while (taken.has(`${batchId}-${next}`)) next++;
    result.push({
      id: `${batchId}-${next++}`,
      path: file.path,
      key: file.key,
      size: file.size,
      mtimeMs: file.mtimeMs,
      ctimeMs: file.ctimeMs,
      dev: file.dev,
      ino: file.ino,
      contentType: file.contentType,
    });
  }
  return result;
}

/** The queue row standing for a batch interrupted while it was being prepared. */
export function preparingPlaceholder(batchId: string, intent: BatchIntent): JournalItem {
  return {
    id: `${batchId}-preparing`,
    path: intent.sources[0]!,
    key: intent.prefix,
    size: 0,
    mtimeMs: 0,
    contentType: '',
  };
}
