import { appendFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BatchOptions,
  foldRecords,
  Journal,
  type JournalRecord,
  parseJournalText,
  readJournal,
} from '../../main/transfer/journal';

const options: BatchOptions = {
  checksumMode: 'WHEN_REQUIRED',
  onConflict: 'overwrite',
  partSize: 8 << 20,
  multipartThreshold: 16 << 20,
};
const file = { path: '/p/a.jpg', key: 'a.jpg', size: 100, mtimeMs: 1, contentType: 'image/jpeg' };

async function journalWithBatch() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  const journal = await Journal.open(dir);
  await journal.startBatch(
    { r: 'batch', id: 'b1', createdAt: '2026-01-01T00:00:00Z', bucket: 'bkt', options },
    [
      { id: 'b1-0', ...file },
      { id: 'b1-1', ...file, key: 'b.jpg' },
    ],
  );
  return { dir, journal };
}

describe('journal', () => {
  it('records every planned item before any upload starts', async () => {
    const { dir, journal } = await journalWithBatch();
    const [batch] = await readJournal(dir);
    expect(batch?.items.map((i) => i.key)).toEqual(['a.jpg', 'b.jpg']);
    expect(batch?.options).toEqual(options);
    await journal.close();
  });

  it('folds uploads, parts, restarts and completion', () => {
    const records: JournalRecord[] = [
      { r: 'batch', id: 'b', createdAt: 't', bucket: 'x', options },
      { r: 'item', id: 'i', ...file },
      { r: 'upload', item: 'i', key: 'a.jpg', uploadId: 'u1', partSize: 5 },
      { r: 'part', item: 'i', n: 1, etag: '"e1"' },
      { r: 'restart', item: 'i', reason: 'changed', size: 200, mtimeMs: 2 },
      { r: 'upload', item: 'i', key: 'a.jpg', uploadId: 'u2', partSize: 5 },
      { r: 'part', item: 'i', n: 2, etag: '"e2"', crc32: 'AAAAAA==' },
    ];
    const item = foldRecords(records)!.items[0]!;
    expect(item.size).toBe(200);
    expect(item.restartReason).toBe('changed');
    expect(item.upload?.uploadId).toBe('u2');
    expect([...item.upload!.parts.keys()]).toEqual([2]);
    expect(
      foldRecords([...records, { r: 'done', item: 'i', outcome: 'uploaded' }])!.items[0]!.finished,
    ).toBe('done');
  });

  it('survives a torn last line and appends cleanly after it', async () => {
    const { dir, journal } = await journalWithBatch();
    await journal.record('b1', {
      r: 'upload',
      item: 'b1-0',
      key: 'a.jpg',
      uploadId: 'u',
      partSize: 5,
    });
    await journal.close();
    const batchFile = path.join(dir, 'batch-b1.jsonl');
    appendFileSync(batchFile, '{"r":"part","item":"b1-0","n":1,"et');
    expect(parseJournalText(readFileSync(batchFile, 'utf8')).damaged).toBe(1);

    const reopened = await Journal.open(dir);
    const [batch] = await reopened.load();
    expect(batch?.items[0]?.upload?.uploadId).toBe('u');
    await reopened.record('b1', { r: 'part', item: 'b1-0', n: 2, etag: '"e"' });
    await reopened.close();
    const text = readFileSync(batchFile, 'utf8');
    expect(parseJournalText(text).damaged).toBe(0);
    const [again] = await readJournal(dir);
    expect([...again!.items[0]!.upload!.parts.keys()]).toEqual([2]);
  });

  it('writes records that arrive together in one go, losing none and keeping their order', async () => {
    const { dir, journal } = await journalWithBatch();
    await journal.record('b1', {
      r: 'upload',
      item: 'b1-0',
      key: 'a.jpg',
      uploadId: 'u',
      partSize: 5,
    });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        journal.record('b1', { r: 'part', item: 'b1-0', n: i + 1, etag: `"e${i + 1}"` }),
      ),
    );
    await journal.close();
    const [batch] = await readJournal(dir);
    expect([...batch!.items[0]!.upload!.parts.keys()]).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  });

  it('removes a batch once it is finished', async () => {
    const { dir, journal } = await journalWithBatch();
    await journal.finishBatch('b1');
    await journal.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second live process but takes over a dead one’s lock', async () => {
    const { dir, journal } = await journalWithBatch();
    await journal.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'lock'), String(process.ppid));
    await expect(Journal.open(dir)).rejects.toThrow(/another Bucketdrop process/);
    writeFileSync(path.join(dir, 'lock'), '999999999');
    const taken = await Journal.open(dir);
    await taken.close();
  });
});
