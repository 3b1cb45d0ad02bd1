import { appendFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newJournalFiles } from '../../main/transfer/batchPlanning';
import {
  type BatchOptions,
  foldRecords,
  Journal,
  type JournalRecord,
  parseJournalText,
  JOURNAL_VERSION,
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
    writeFileSync(path.join(dir, 'lock'), String(process.ppid));
    await expect(Journal.open(dir, { waitMs: 100 })).rejects.toThrow(/another Bucketdrop process/);
    writeFileSync(path.join(dir, 'lock'), '999999999');
    const taken = await Journal.open(dir);
    await taken.close();
  });

  it('refuses a batch file from a newer Bucketdrop and leaves it as it is, byte for byte', async () => {
    const { dir, journal } = await journalWithBatch();
    await journal.close();
    const newer = path.join(dir, 'batch-b9.jsonl');
    const content =
      JSON.stringify({ r: 'batch', v: JOURNAL_VERSION + 1, id: 'b9', bucket: 'bkt', future: 1 }) +
      '\n{"r":"item","torn":';
    writeFileSync(newer, content);
    const reopened = await Journal.open(dir);
    const batches = await reopened.load();
    await reopened.close();
    expect(batches.map((batch) => batch.id)).toEqual(['b1']);
    expect(reopened.problems).toEqual([
      {
        kind: 'newer-version',
        file: newer,
        message: `${newer} was written by a newer version of Bucketdrop (journal format ${JOURNAL_VERSION + 1}, this one reads up to ${JOURNAL_VERSION}): it is left as it is; update Bucketdrop to resume its uploads`,
      },
    ]);
    expect(readFileSync(newer, 'utf8')).toBe(content);
  });

  it('keeps an unreadable batch file aside under a name that says so, with a notice', async () => {
    const { dir, journal } = await journalWithBatch();
    await journal.close();
    writeFileSync(path.join(dir, 'batch-x1.jsonl'), 'garbage\x00\n');
    // A header naming another batch's file would finish (delete) the wrong one.
    writeFileSync(
      path.join(dir, 'batch-x2.jsonl'),
      readFileSync(path.join(dir, 'batch-b1.jsonl'), 'utf8'),
    );
    const reopened = await Journal.open(dir);
    const batches = await reopened.load();
    await reopened.close();
    expect(batches.map((batch) => batch.id)).toEqual(['b1']);
    expect(readdirSync(dir).sort()).toEqual([
      'batch-b1.jsonl',
      'batch-x1.jsonl.unreadable',
      'batch-x2.jsonl.unreadable',
    ]);
    expect(readFileSync(path.join(dir, 'batch-x1.jsonl.unreadable'), 'utf8')).toBe('garbage\x00\n');
    expect(reopened.problems.map((problem) => problem.message)).toEqual([
      `${path.join(dir, 'batch-x1.jsonl')} could not be read as a journal (no valid batch header): it is kept as ${path.join(dir, 'batch-x1.jsonl.unreadable')}, and its uploads are not resumed`,
      `${path.join(dir, 'batch-x2.jsonl')} could not be read as a journal (no valid batch header): it is kept as ${path.join(dir, 'batch-x2.jsonl.unreadable')}, and its uploads are not resumed`,
    ]);
  });

  it('reports and ignores records that do not fit the schema, trusting none of their targets', async () => {
    const { dir, journal } = await journalWithBatch();
    await journal.close();
    const batchFile = path.join(dir, 'batch-b1.jsonl');
    appendFileSync(
      batchFile,
      [
        {
          r: 'item',
          id: 'b1-2',
          path: 'relative/c.jpg',
          key: 'c.jpg',
          size: 1,
          mtimeMs: 1,
          contentType: 'x',
        },
        { r: 'item', id: 'b1-3', path: '/p/d.jpg', key: '', size: 1, mtimeMs: 1, contentType: 'x' },
        { r: 'part', item: 'b1-0', n: 0, etag: '"e"' },
        { r: 'done', item: 'b1-1', outcome: 'uploaded' },
      ]
        .map((record) => JSON.stringify(record) + '\n')
        .join(''),
    );
    const reopened = await Journal.open(dir);
    const [batch] = await reopened.load();
    await reopened.close();
    expect(batch!.items.map((item) => [item.id, item.finished ?? null])).toEqual([
      ['b1-0', null],
      ['b1-1', 'done'],
    ]);
    expect(reopened.problems.map((problem) => problem.message)).toEqual([
      `${batchFile}, line 5: not a valid journal record (path: not an absolute path); it is ignored`,
      `${batchFile}, line 6: not a valid journal record (key: Too small: expected string to have >=1 characters); it is ignored`,
      `${batchFile}, line 7: not a valid journal record (n: Too small: expected number to be >=1); it is ignored`,
    ]);
  });

  it('journals the intent before planning, and a half-written plan is never listed twice', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    const journal = await Journal.open(dir);
    const header = { r: 'batch' as const, id: 'p1', createdAt: 'now', bucket: 'bkt', options };
    const intent = { sources: ['/photos'], prefix: 'trip/', includeJunk: false };
    const file = {
      path: '/photos/a.jpg',
      key: 'trip/a.jpg',
      size: 1,
      mtimeMs: 1,
      contentType: 'image/jpeg',
    };
    await journal.beginBatch(header, intent);
    let [batch] = await readJournal(dir);
    expect(batch).toMatchObject({ id: 'p1', intent, items: [] });
    await journal.addItems('p1', [{ id: 'p1-0', ...file }]);
    // The walk again after a crash: the same file under another id is not a second item.
    await journal.addItems('p1', [
      { id: 'p1-1', ...file },
      { id: 'p1-2', ...file, key: 'trip/b.jpg' },
    ]);
    [batch] = await readJournal(dir);
    expect(batch!.intent).toEqual(intent);
    expect(batch!.items.map((item) => [item.id, item.key])).toEqual([
      ['p1-0', 'trip/a.jpg'],
      ['p1-2', 'trip/b.jpg'],
    ]);
    // A record pointing outside what was dropped (a tampered journal) is never uploaded.
    await journal.addItems('p1', [
      { id: 'p1-7', ...file, path: '/etc/shadow', key: 'trip/shadow' },
      { id: 'p1-8', ...file, path: '/photos/x.jpg', key: 'elsewhere/x.jpg' },
    ]);
    expect(
      parseJournalText(readFileSync(path.join(dir, 'batch-p1.jsonl'), 'utf8')).invalid,
    ).toEqual([
      { line: 6, cause: 'path: not under the files and folders dropped for this batch' },
      { line: 7, cause: "key: not under the batch's prefix" },
    ]);
    await journal.markPlanned('p1', { ...options, onConflict: 'skip' });
    [batch] = await readJournal(dir);
    expect(batch!.intent).toBeUndefined();
    expect(batch!.options.onConflict).toBe('skip');
    await journal.close();
  });

  it('adds only the files a half-written plan lacks, under ids it has not taken', () => {
    const planned = [
      { id: 'p-0', ...file },
      { id: 'p-2', ...file, key: 'c.jpg' },
    ];
    const walk = ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'].map((key) => ({
      ...file,
      key,
      relativePath: key,
      ctimeMs: file.mtimeMs,
      dev: 1,
      ino: 2,
    }));
    expect(newJournalFiles('p', walk, planned).map((f) => [f.id, f.key])).toEqual([
      ['p-1', 'b.jpg'],
      ['p-3', 'd.jpg'],
    ]);
  });
});
