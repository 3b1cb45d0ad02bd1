import type { Notice, ProgressSnapshot } from '../../preload/contract';
import { BrowseService } from './browseService';
import type { ConnectionService } from './connectionService';
import type { SettingsStore } from './settings';
import { UploadService } from './uploadService';
import { VersionsService } from './versionsService';

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
  onProgress(snapshot: ProgressSnapshot): void;
  onNotice(notice: Notice): void;
}

/** Every service the window talks to, built once per process. */
export interface AppServices {
  uploads: UploadService;
  connections: ConnectionService;
  browse: BrowseService;
  versions: VersionsService;
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
  const browse = await BrowseService.create({
    dataDir: host.dataDir,
    settings: host.settings,
    connections: host.connections,
  });
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
  });
  return {
    uploads,
    connections: host.connections,
    browse,
    versions,
    hasActiveWork: () => uploads.hasActiveUploads(),
    shutdown: () => uploads.shutdown(),
  };
}
