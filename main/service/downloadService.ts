import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Notice, ProgressSnapshot, QueueActionRequest } from '../../preload/contract';
import { DownloadEngine } from '../transfer/download/engine';
import { DownloadJournal } from '../transfer/download/journal';
import { type DownloadSelection, planDownload } from '../transfer/download/planner';
import { describeS3Error } from '../transfer/errors';
import { applyQueueAction } from './queueActions';
import type { SettingsStore } from './settings';
import { type ClientProvider, UserFacingError } from './uploadService';

export interface DownloadServiceDeps {
  /** The app's data folder; the download journal lives in it. */
  dataDir: string;
  settings: SettingsStore;
  clients: ClientProvider;
  /** A native folder dialog; null when the user cancels. */
  pickDownloadFolder(): Promise<string | null>;
  onProgress(snapshot: ProgressSnapshot): void;
  onNotice(notice: Notice): void;
}

/** Skipped keys named in the notice; the rest are counted. */
const SKIPPED_SHOWN = 3;

function summarize(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** What the window can ask of main about downloads; the queue routes item actions here. */
export class DownloadService {
  private wasBusy = false;
  private lastFolder = '';

  private constructor(
    private readonly deps: DownloadServiceDeps,
    private readonly engine: DownloadEngine,
  ) {
    engine.on('progress', (snapshot) => {
      deps.onProgress(snapshot);
      this.announceWhenIdle(snapshot);
    });
  }

  static async create(deps: DownloadServiceDeps): Promise<DownloadService> {
    const settings = deps.settings.get();
    const journal = await DownloadJournal.open(path.join(deps.dataDir, 'download-journal'));
    const engine = new DownloadEngine(
      (connectionId, bucket) => deps.clients.clientFor(connectionId, bucket),
      journal,
      { filesInFlight: settings.filesInFlight },
    );
    const service = new DownloadService(deps, engine);
    const restored = await engine.restore({ paused: !settings.autoResumeOnLaunch });
    for (const { file, reason } of journal.rejected) {
      deps.onNotice({
        kind: 'error',
        message: `An unfinished download was not resumed: its journal ${path.basename(file)} is not valid (${reason}).`,
      });
    }
    if (restored > 0) {
      deps.onNotice({
        kind: 'restored',
        message: settings.autoResumeOnLaunch
          ? `Resuming ${summarize(restored, 'unfinished download')} from last time.`
          : `${summarize(restored, 'unfinished download')} from last time, paused: press Resume all to continue.`,
      });
    }
    return service;
  }

  /** Asks main's own dialog for the folder (the window never names a path), then queues. */
  async downloadObjects(selection: DownloadSelection): Promise<{ batchIds: string[] } | null> {
    if (
      selection.keys.length === 0 &&
      selection.prefixes.length === 0 &&
      (selection.versions ?? []).length === 0
    ) {
      throw new UserFacingError('Nothing to download: select objects or folders first.');
    }
    const folder = await this.deps.pickDownloadFolder();
    if (!folder) return null;
    await this.checkWritable(folder);
    const connectionId = this.deps.settings.get().activeConnectionId ?? undefined;
    const client = await this.deps.clients.clientFor(connectionId, selection.bucket);
    let planned;
    try {
      planned = await planDownload(client, selection, folder);
    } catch (error) {
      throw new UserFacingError(
        `Could not list what to download from ${selection.bucket}: ${describeS3Error(error)}.`,
      );
    }
    if (planned.skipped.length > 0) {
      const shown = planned.skipped
        .slice(0, SKIPPED_SHOWN)
        .map(({ key, reason }) => `"${key}" (${reason})`);
      const more = planned.skipped.length - shown.length;
      this.deps.onNotice({
        kind: 'error',
        message: `Not downloading ${summarize(planned.skipped.length, 'object')}: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
      });
    }
    if (planned.plan.objects.length === 0) {
      throw new UserFacingError('There is nothing to download under the selected folders.');
    }
    this.applyLimits();
    const batchId = await this.engine.enqueue(planned.plan, connectionId);
    this.wasBusy = true;
    this.lastFolder = folder;
    return { batchIds: [batchId] };
  }

  queueAction(request: QueueActionRequest): void {
    if (request.action === 'resume' || request.action === 'retry') {
      this.wasBusy = true;
      this.applyLimits();
    }
    applyQueueAction(this.engine, request);
  }

  snapshot(): ProgressSnapshot {
    return this.engine.snapshot();
  }

  /** Resumes the paused downloads and says how many there were. */
  resumeUnfinished(): number {
    const paused = this.engine.items().filter((item) => item.state === 'paused').length;
    this.wasBusy = true;
    this.applyLimits();
    this.engine.resume();
    return paused;
  }

  hasActiveDownloads(): boolean {
    return this.engine.hasPendingWork();
  }

  async shutdown(): Promise<void> {
    await this.engine.shutdown();
  }

  /** Settings change through the upload service; downloads take them up as they (re)start. */
  private applyLimits(): void {
    this.engine.configure({ filesInFlight: this.deps.settings.get().filesInFlight });
  }

  private async checkWritable(folder: string): Promise<void> {
    try {
      await fs.mkdir(folder, { recursive: true });
      await fs.access(folder, fs.constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserFacingError(
        `Cannot download to ${folder}: ${code === 'EACCES' || code === 'EPERM' ? 'the folder is not writable' : code === 'EROFS' ? 'the disk is read-only' : (error as Error).message}.`,
      );
    }
  }

  private announceWhenIdle(snapshot: ProgressSnapshot): void {
    if (!this.wasBusy || this.engine.hasPendingWork()) return;
    this.wasBusy = false;
    const { overall } = snapshot;
    const downloaded = summarize(overall.filesDone, 'file');
    this.deps.onNotice({
      kind: overall.filesFailed > 0 ? 'error' : 'batch-finished',
      message:
        overall.filesFailed > 0
          ? `${downloaded} downloaded, ${overall.filesFailed} failed: see the queue for the causes.`
          : `${downloaded} downloaded to ${this.lastFolder}.`,
    });
  }
}
