import { describe, expect, it, vi } from 'vitest';
import type { OverallProgress, ProgressSnapshot } from '../../preload/contract';
import type { DownloadService } from '../../main/service/downloadService';
import { mergeOverall, ProgressMerger, QueueService } from '../../main/service/queueService';
import { DownloadEngine } from '../../main/transfer/download/engine';
import type { UploadService } from '../../main/service/uploadService';
import { UNSUPPORTED_STEP_ACTION, VersionStepQueue } from '../../main/service/versionStepQueue';

const ZERO: OverallProgress = {
  bytesDone: 0,
  bytesTotal: 0,
  filesTotal: 0,
  filesDone: 0,
  filesFailed: 0,
  filesSkipped: 0,
  filesActive: 0,
  rate: 0,
  etaSeconds: null,
  retries: 0,
};

describe('one queue for uploads and downloads', () => {
  it('adds both directions into one overall line, the ETA from the combined rate', () => {
    const uploads = {
      ...ZERO,
      bytesDone: 100,
      bytesTotal: 1100,
      filesTotal: 2,
      filesActive: 1,
      rate: 100,
    };
    const downloads = {
      ...ZERO,
      bytesDone: 0,
      bytesTotal: 1000,
      filesTotal: 1,
      filesFailed: 1,
      rate: 100,
      retries: 2,
    };
    expect(mergeOverall(uploads, downloads)).toEqual({
      ...ZERO,
      bytesDone: 100,
      bytesTotal: 2100,
      filesTotal: 3,
      filesFailed: 1,
      filesActive: 1,
      rate: 200,
      etaSeconds: 10,
      retries: 2,
    });
  });

  it('each snapshot passes on with its items and the overall of both engines', () => {
    const emitted: ProgressSnapshot[] = [];
    const merger = new ProgressMerger((snapshot) => emitted.push(snapshot));
    merger.push('downloads', { items: [], overall: { ...ZERO, filesTotal: 4 } });
    merger.push('uploads', { items: [], overall: { ...ZERO, filesTotal: 1 } });
    expect(emitted.map((snapshot) => snapshot.overall.filesTotal)).toEqual([4, 5]);
  });

  it('routes actions by item id: "dl-" items to downloads, the rest to uploads', async () => {
    const uploads = { queueAction: vi.fn(async () => null) };
    const downloads = { queueAction: vi.fn() };
    const queue = new QueueService(
      uploads as unknown as UploadService,
      downloads as unknown as DownloadService,
      new VersionStepQueue(() => {}),
    );
    await queue.queueAction({ action: 'pause', ids: ['dl-b1-0', 'u1-0', 'dl-b1-1'] });
    expect(downloads.queueAction).toHaveBeenCalledWith({
      action: 'pause',
      ids: ['dl-b1-0', 'dl-b1-1'],
    });
    expect(uploads.queueAction).toHaveBeenCalledWith({ action: 'pause', ids: ['u1-0'] });
    await queue.queueAction({ action: 'retry', ids: ['dl-b1-0'] });
    expect(uploads.queueAction).toHaveBeenCalledTimes(1);
    await queue.queueAction({ action: 'clear-finished' });
    expect(uploads.queueAction).toHaveBeenLastCalledWith({ action: 'clear-finished' });
    expect(downloads.queueAction).toHaveBeenLastCalledWith({ action: 'clear-finished' });
  });

  it('counts point-in-time restore steps in the overall line, as a third source', () => {
    const emitted: ProgressSnapshot[] = [];
    const merger = new ProgressMerger((snapshot) => emitted.push(snapshot));
    merger.push('uploads', { items: [], overall: { ...ZERO, filesTotal: 1, bytesTotal: 10 } });
    merger.push('versions', {
      items: [],
      overall: { ...ZERO, filesTotal: 2, filesDone: 1, bytesTotal: 500, bytesDone: 500 },
    });
    merger.push('downloads', { items: [], overall: { ...ZERO, filesTotal: 4 } });
    expect(emitted.map(({ overall }) => [overall.filesTotal, overall.filesDone])).toEqual([
      [1, 0],
      [3, 1],
      [7, 1],
    ]);
    expect(emitted.at(-1)!.overall).toMatchObject({ bytesTotal: 510, bytesDone: 500 });
  });

  it('restore steps show as "restore" rows that run to done or failed and can be removed', async () => {
    const steps = new VersionStepQueue(() => {}, 0);
    const [restored, undeleted, failed] = steps.addPlan('photos', '2026-11-24T10:00:00.000Z', [
      { key: 'a.png', kind: 'restore', size: 2048 },
      { key: 'b.png', kind: 'undelete', size: 0 },
      { key: 'c.png', kind: 'delete', size: 0 },
    ]);
    expect(VersionStepQueue.owns(restored!)).toBe(true);
    expect(DownloadEngine.owns(restored!)).toBe(false);
    steps.running([restored!, undeleted!, failed!]);
    steps.finish(restored!, { ok: true, detail: 'copy of version v1' });
    steps.finish(undeleted!, { ok: true, detail: 'removed-delete-marker' });
    steps.finish(failed!, { ok: false, detail: 'c.png: access denied (403)' });
    expect(
      steps
        .snapshot()
        .items.map((item) => [
          item.key,
          item.direction,
          item.versionStep?.kind,
          item.state,
          item.bytesDone,
          item.error,
        ]),
    ).toEqual([
      ['a.png', 'restore', 'restore', 'done', 2048, undefined],
      ['b.png', 'restore', 'undelete', 'done', 0, undefined],
      ['c.png', 'restore', 'delete', 'failed', 0, 'c.png: access denied (403)'],
    ]);
    expect(steps.snapshot().overall).toMatchObject({
      filesTotal: 3,
      filesDone: 2,
      filesFailed: 1,
      bytesDone: 2048,
    });

    const empty: ProgressSnapshot = { items: [], overall: ZERO };
    const uploads = { queueAction: vi.fn(async () => null), queueSnapshot: async () => empty };
    const downloads = { queueAction: vi.fn(), snapshot: () => empty };
    const queue = new QueueService(
      uploads as unknown as UploadService,
      downloads as unknown as DownloadService,
      steps,
    );
    // Pausing a step is refused with the reason, after the transfers of the selection paused.
    await expect(queue.queueAction({ action: 'pause', ids: ['u1-0', failed!] })).rejects.toThrow(
      UNSUPPORTED_STEP_ACTION,
    );
    expect(uploads.queueAction).toHaveBeenCalledWith({ action: 'pause', ids: ['u1-0'] });
    expect(downloads.queueAction).not.toHaveBeenCalled();

    await queue.queueAction({ action: 'clear-finished' });
    const left = await queue.queueSnapshot();
    expect(left.items.map((item) => item.key)).toEqual(['c.png']);
    expect(left.overall).toMatchObject({ filesTotal: 1, filesFailed: 1 });
    await queue.queueAction({ action: 'remove', ids: [failed!] });
    expect((await queue.queueSnapshot()).items).toEqual([]);
  });
});
