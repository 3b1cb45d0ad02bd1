import type { OverallProgress, ProgressSnapshot, QueueActionRequest } from '../../preload/contract';
import { DownloadEngine } from '../transfer/download/engine';
import type { DownloadService } from './downloadService';
import type { UploadService } from './uploadService';
import { VersionStepQueue } from './versionStepQueue';

type Source = 'uploads' | 'downloads' | 'versions';

const EMPTY_OVERALL: OverallProgress = {
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

/** One overall line for both directions: counts and rates add up, the ETA follows from them. */
export function mergeOverall(a: OverallProgress, b: OverallProgress): OverallProgress {
  const bytesDone = a.bytesDone + b.bytesDone;
  const bytesTotal = a.bytesTotal + b.bytesTotal;
  const rate = a.rate + b.rate;
  const remaining = bytesTotal - bytesDone;
  return {
    bytesDone,
    bytesTotal,
    filesTotal: a.filesTotal + b.filesTotal,
    filesDone: a.filesDone + b.filesDone,
    filesFailed: a.filesFailed + b.filesFailed,
    filesSkipped: a.filesSkipped + b.filesSkipped,
    filesActive: a.filesActive + b.filesActive,
    rate,
    etaSeconds: remaining <= 0 ? 0 : rate > 0 ? Math.ceil(remaining / rate) : null,
    retries: a.retries + b.retries,
  };
}

/**
 * Each engine (and the point-in-time restore steps) reports only its own items; the window sees
 * one queue. Snapshots pass through with their items and an overall that counts every source.
 */
export class ProgressMerger {
  private readonly latest: Record<Source, OverallProgress> = {
    uploads: EMPTY_OVERALL,
    downloads: EMPTY_OVERALL,
    versions: EMPTY_OVERALL,
  };

  constructor(private readonly emit: (snapshot: ProgressSnapshot) => void) {}

  push(source: Source, snapshot: ProgressSnapshot): void {
    this.latest[source] = snapshot.overall;
    this.emit({ ...snapshot, overall: Object.values(this.latest).reduce(mergeOverall) });
  }
}

/** The queue's actions, routed by item id to the engine that owns the item. */
export class QueueService {
  constructor(
    private readonly uploads: UploadService,
    private readonly downloads: DownloadService,
    private readonly versionSteps: VersionStepQueue,
  ) {}

  async queueAction(request: QueueActionRequest): Promise<null> {
    if (!request.ids) {
      this.downloads.queueAction(request);
      // "Pause all" and the like concern transfers; only clearing reaches the restore steps.
      if (request.action === 'clear-finished') this.versionSteps.queueAction(request);
      return this.uploads.queueAction(request);
    }
    const stepIds = request.ids.filter((id) => VersionStepQueue.owns(id));
    const downloadIds = request.ids.filter((id) => DownloadEngine.owns(id));
    const uploadIds = request.ids.filter(
      (id) => !DownloadEngine.owns(id) && !VersionStepQueue.owns(id),
    );
    if (downloadIds.length > 0) this.downloads.queueAction({ ...request, ids: downloadIds });
    if (uploadIds.length > 0) await this.uploads.queueAction({ ...request, ids: uploadIds });
    // Last, so that the transfers of a mixed selection are acted on before a refusal is thrown.
    if (stepIds.length > 0) this.versionSteps.queueAction({ ...request, ids: stepIds });
    return null;
  }

  async queueSnapshot(): Promise<ProgressSnapshot> {
    const uploads = await this.uploads.queueSnapshot();
    const downloads = this.downloads.snapshot();
    const steps = this.versionSteps.snapshot();
    return {
      items: [...uploads.items, ...downloads.items, ...steps.items],
      overall: [uploads.overall, downloads.overall, steps.overall].reduce(mergeOverall),
    };
  }

  async resumeUnfinished(): Promise<{ items: number }> {
    const downloads = this.downloads.resumeUnfinished();
    const uploads = await this.uploads.resumeUnfinished();
    return { items: uploads.items + downloads };
  }
}
