import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  type BucketdropApi,
  EVENTS,
  type EventMap,
  INVOKE,
  type InvokeChannel,
  type InvokeMap,
  type Result,
} from './contract';

function invoke<C extends InvokeChannel>(
  channel: C,
  request: InvokeMap[C]['request'],
): Promise<Result<InvokeMap[C]['response']>> {
  return ipcRenderer.invoke(channel, request) as Promise<Result<InvokeMap[C]['response']>>;
}

function subscribe<C extends keyof EventMap>(
  channel: C,
  listener: (payload: EventMap[C]) => void,
): () => void {
  // The Electron event carries the sender; only the payload may reach the page.
  const forward = (_event: IpcRendererEvent, payload: EventMap[C]) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => ipcRenderer.removeListener(channel, forward);
}

/**
 * Resolves dropped files to paths here, out of the page's reach: a File the page made up itself
 * has no path, so the page cannot name a file it was not given.
 */
function pathsOfDroppedFiles(files: File[]): string[] {
  return files.map((file) => webUtils.getPathForFile(file)).filter((path) => path !== '');
}

export const api: BucketdropApi = {
  planDroppedFiles: (files, destination) => {
    const paths = pathsOfDroppedFiles(Array.from(files));
    if (paths.length === 0) {
      return Promise.resolve({
        ok: false,
        error: 'Nothing to upload: drop files or folders from your computer.',
      });
    }
    return invoke(INVOKE.planDropped, { paths, destination });
  },
  pick: (kind, destination) => invoke(INVOKE.pick, { kind, destination }),
  startUpload: (request) => invoke(INVOKE.startUpload, request),
  discardPreflight: (preflightId) => invoke(INVOKE.discardPreflight, { preflightId }),
  queueAction: (request) => invoke(INVOKE.queueAction, request),
  queueSnapshot: () => invoke(INVOKE.queueSnapshot, null),
  resumeUnfinished: () => invoke(INVOKE.resumeUnfinished, null),
  getSettings: () => invoke(INVOKE.getSettings, null),
  updateSettings: (patch) => invoke(INVOKE.updateSettings, patch),
  listBuckets: () => invoke(INVOKE.listBuckets, null),
  connectionsOverview: () => invoke(INVOKE.connectionsOverview, null),
  saveConnection: (request) => invoke(INVOKE.saveConnection, request),
  removeConnection: (id) => invoke(INVOKE.removeConnection, { id }),
  testConnection: (request) => invoke(INVOKE.testConnection, request),
  probeChecksums: (id, bucket) => invoke(INVOKE.probeChecksums, { id, bucket }),
  listPage: (request) => invoke(INVOKE.listPage, request),
  objectDetails: (bucket, key) => invoke(INVOKE.objectDetails, { bucket, key }),
  thumbnail: (request) => invoke(INVOKE.thumbnail, request),
  createFolder: (bucket, prefix, name) => invoke(INVOKE.createFolder, { bucket, prefix, name }),
  deleteObjects: (request) => invoke(INVOKE.deleteObjects, request),
  shareLinks: (request) => invoke(INVOKE.shareLinks, request),
  versioningStatus: (bucket) => invoke(INVOKE.versioningStatus, { bucket }),
  enableVersioning: (bucket) => invoke(INVOKE.enableVersioning, { bucket }),
  listVersions: (request) => invoke(INVOKE.listVersions, request),
  previewVersion: (ref) => invoke(INVOKE.previewVersion, ref),
  versionLink: (ref, expiresInSeconds) => invoke(INVOKE.versionLink, { ...ref, expiresInSeconds }),
  restoreVersion: (ref) => invoke(INVOKE.restoreVersion, ref),
  undeleteKeys: (bucket, keys) => invoke(INVOKE.undeleteKeys, { bucket, keys }),
  listDeletedKeys: (request) => invoke(INVOKE.listDeletedKeys, request),
  planPointInTime: (request) => invoke(INVOKE.planPointInTime, request),
  applyPointInTime: (planId) => invoke(INVOKE.applyPointInTime, { planId }),
  pointInTimeProgress: (planId) => invoke(INVOKE.pointInTimeProgress, { planId }),
  deleteVersionPermanently: (ref, typedKey) =>
    invoke(INVOKE.deleteVersionPermanently, { ...ref, typedKey }),
  auditLog: () => invoke(INVOKE.auditLog, null),
  exportAuditLog: (format) => invoke(INVOKE.exportAuditLog, { format }),
  downloadObjects: (selection) => invoke(INVOKE.downloadObjects, selection),
  requestRestore: (request) => invoke(INVOKE.requestRestore, request),
  lifecycleOverview: (bucket) => invoke(INVOKE.lifecycleOverview, { bucket }),
  previewLifecycle: (bucket, additions) => invoke(INVOKE.previewLifecycle, { bucket, additions }),
  applyLifecycle: (bucket, additions) => invoke(INVOKE.applyLifecycle, { bucket, additions }),
  checkUploadOptions: (bucket, options) => invoke(INVOKE.checkUploadOptions, { bucket, options }),
  createBucket: (request) => invoke(INVOKE.createBucket, request),
  bucketOverview: (bucket) => invoke(INVOKE.bucketOverview, { bucket }),
  objectAccess: (bucket, key) => invoke(INVOKE.objectAccess, { bucket, key }),
  onProgress: (listener) => subscribe(EVENTS.progress, listener),
  onNotice: (listener) => subscribe(EVENTS.notice, listener),
};

contextBridge.exposeInMainWorld('bucketdrop', api);
