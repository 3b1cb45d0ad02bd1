import type { Notice, ProgressSnapshot } from '../../preload/contract';
import type { ImageDecoder } from '../imaging/imageDecoder';
import { BrowseService } from './browseService';
import { ArchiveService } from './archiveService';
import { BucketService } from './bucketService';
import type { ConnectionService } from './connectionService';
import { DownloadService } from './downloadService';
import { ProgressMerger, QueueService } from './queueService';
import type { SettingsStore } from './settings';
import { UploadService } from './uploadService';
import { VersionsService } from './versionsService';
import { VersionStepQueue } from './versionStepQueue';

/** What the hosting process (Electron's main, or the e2e stand-in) provides to the services. */
export interface AppHost {
  /** The app's data folder: journals, caches and logs live in it. */
  dataDir: string;
  settings: SettingsStore;
  connections: ConnectionService;
  /** A native open dialog; null when the user cancels. */
  pickPaths(kind: 'files' | 'folder'): Promise<string[] | null>;
  /** A native save dialog proposing `defaultName`; null when the user cancels. */
  pickSaveFile(defaultName: string): Promise<string | null>;
  /** A native folder dialog for downloads; null when the user cancels. */
  pickDownloadFolder(): Promise<string | null>;
  onProgress(snapshot: ProgressSnapshot): void;
  onNotice(notice: Notice): void;
  /** Where untrusted images are decoded: Electron's utility process, or a Node child. */
  imageDecoder: ImageDecoder;
}

/** Every service the window talks to, built once per process. */
export interface AppServices {
  uploads: UploadService;
  connections: ConnectionService;
  browse: BrowseService;
  versions: VersionsService;
  downloads: DownloadService;
  /** The one queue of both directions: actions are routed to the engine owning each item. */
  queue: QueueService;
  archive: ArchiveService;
  buckets: BucketService;
  /** True while work is running that quitting would interrupt. */
  hasActiveWork(): boolean;
  /** Stops the running work so that the next launch resumes it. */
  shutdown(): Promise<void>;
}

export async function createAppServices(host: AppHost): Promise<AppServices> {
  const progress = new ProgressMerger(host.onProgress);
  const uploads = await UploadService.create({
    dataDir: host.dataDir,
    settings: host.settings,
    clients: host.connections,
    pickPaths: host.pickPaths,
    onProgress: (snapshot) => progress.push('uploads', snapshot),
    onNotice: host.onNotice,
  });
  const downloads = await DownloadService.create({
    dataDir: host.dataDir,
    settings: host.settings,
    clients: host.connections,
    pickDownloadFolder: host.pickDownloadFolder,
    onProgress: (snapshot) => progress.push('downloads', snapshot),
    onNotice: host.onNotice,
  });
  const { imageDecoder } = host;
  const versionSteps = new VersionStepQueue((snapshot) => progress.push('versions', snapshot));
  const browse = await BrowseService.create({
    dataDir: host.dataDir,
    settings: host.settings,
    connections: host.connections,
    imageDecoder,
  });
  host.connections.onRemoved((id) => browse.forgetConnection(id));
  const versions = new VersionsService({
    dataDir: host.dataDir,
    settings: host.settings,
    clients: host.connections,
    // The audit log names the connection that acted, as support staff know it.
    profileName: async (connectionId) => {
      if (!connectionId) return 'environment';
      const { profiles } = await host.connections.overview();
      return profiles.find((profile) => profile.id === connectionId)?.name ?? connectionId;
    },
    pickSaveFile: host.pickSaveFile,
    imageDecoder,
    steps: versionSteps,
  });
  const buckets = new BucketService({ settings: host.settings, clients: host.connections });
  return {
    uploads,
    connections: host.connections,
    browse,
    versions,
    downloads,
    queue: new QueueService(uploads, downloads, versionSteps),
    archive: new ArchiveService(host.settings, host.connections),
    buckets,
    hasActiveWork: () =>
      uploads.hasActiveUploads() || downloads.hasActiveDownloads() || versionSteps.hasPendingWork(),
    shutdown: async () => {
      await Promise.all([uploads.shutdown(), downloads.shutdown(), imageDecoder.close()]);
    },
  };
}
