import { describe, expect, it, vi } from 'vitest';
import type { OverallProgress, ProgressSnapshot } from '../../preload/contract';
import type { DownloadService } from '../../main/service/downloadService';
import { mergeOverall, ProgressMerger, QueueService } from '../../main/service/queueService';
import type { UploadService } from '../../main/service/uploadService';

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
});
