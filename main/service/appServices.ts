import type { Notice, ProgressSnapshot } from '../../preload/contract';
import { BucketService } from './bucketService';
import type { ConnectionService } from './connectionService';
import type { SettingsStore } from './settings';
import { UploadService } from './uploadService';

/** What the hosting process (Electron's main, or the e2e stand-in) provides to the services. */
export interface AppHost {
  /** The app's data folder: journals, caches and logs live in it. */
  dataDir: string;
  settings: SettingsStore;
  connections: ConnectionService;
  /** A native open dialog; null when the user cancels. */
  pickPaths(kind: 'files' | 'folder'): Promise<string[] | null>;
  onProgress(snapshot: ProgressSnapshot): void;
  onNotice(notice: Notice): void;
}

/** Every service the window talks to, built once per process. */
export interface AppServices {
  uploads: UploadService;
  connections: ConnectionService;
  buckets: BucketService;
  /** True while work is running that quitting would interrupt. */
  hasActiveWork(): boolean;
  /** Stops the running work so that the next launch resumes it. */
  shutdown(): Promise<void>;
}

export async function createAppServices(host: AppHost): Promise<AppServices> {
  const uploads = await UploadService.create({
    dataDir: host.dataDir,
    settings: host.settings,
    clients: host.connections,
    pickPaths: host.pickPaths,
    onProgress: host.onProgress,
    onNotice: host.onNotice,
  });
  const buckets = new BucketService({ settings: host.settings, clients: host.connections });
  return {
    uploads,
    connections: host.connections,
    buckets,
    hasActiveWork: () => uploads.hasActiveUploads(),
    shutdown: () => uploads.shutdown(),
  };
}
