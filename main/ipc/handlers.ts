import { INVOKE } from '../../preload/contract';
import type { AppServices } from '../service/appServices';
import {
  type ConfirmationHost,
  confirmDeletion,
  confirmDroppedPaths,
  deleteNeedsConfirmation,
  describeDeletion,
} from './confirmations';
import type { InvokeHandlers } from './dispatch';

/**
 * Each channel of the contract, served by the app's services. What the window cannot be trusted
 * to decide (dropped paths, deletions that cannot be undone) is put to the user by main first.
 */
export function appHandlers(
  { uploads, connections, browse, versions, downloads, queue, archive, buckets }: AppServices,
  host: ConfirmationHost,
): InvokeHandlers {
  return {
    [INVOKE.planDropped]: async (request) => {
      await confirmDroppedPaths(request.paths, host);
      return uploads.planDropped(request);
    },
    [INVOKE.pick]: (request) => uploads.pick(request),
    [INVOKE.startUpload]: (request) => uploads.startUpload(request),
    [INVOKE.discardPreflight]: (request) => uploads.discardPreflight(request),
    [INVOKE.queueAction]: (request) => queue.queueAction(request),
    [INVOKE.queueSnapshot]: () => queue.queueSnapshot(),
    [INVOKE.resumeUnfinished]: () => queue.resumeUnfinished(),
    [INVOKE.getSettings]: () => uploads.getSettings(),
    [INVOKE.updateSettings]: (patch) => uploads.updateSettings(patch),
    [INVOKE.listBuckets]: () => uploads.listBuckets(),
    [INVOKE.connectionsOverview]: () => connections.overview(),
    [INVOKE.saveConnection]: (request) => connections.save(request),
    [INVOKE.removeConnection]: (request) => connections.remove(request),
    [INVOKE.testConnection]: (request) => connections.test(request),
    [INVOKE.probeChecksums]: (request) => connections.probe(request),
    [INVOKE.listPage]: (request) => browse.listPage(request),
    [INVOKE.objectDetails]: (request) => browse.objectDetails(request),
    [INVOKE.thumbnail]: (request) => browse.thumbnail(request),
    [INVOKE.createFolder]: (request) => browse.createFolder(request),
    [INVOKE.deleteObjects]: async (request) => {
      if (deleteNeedsConfirmation(request)) {
        const underFolders = await browse.countUnder(request.bucket, request.prefixes);
        await confirmDeletion(host.ask, {
          bucket: request.bucket,
          count: describeDeletion(request, underFolders),
          detail: 'Unless the bucket keeps versions, this cannot be undone.',
          permanent: false,
        });
      }
      return browse.deleteObjects(request);
    },
    [INVOKE.shareLinks]: (request) => browse.shareLinks(request),
    [INVOKE.versioningStatus]: (request) => versions.versioningStatus(request),
    [INVOKE.enableVersioning]: (request) => versions.enableVersioning(request),
    [INVOKE.listVersions]: (request) => versions.listVersions(request),
    [INVOKE.previewVersion]: (request) => versions.previewVersion(request),
    [INVOKE.versionLink]: (request) => versions.versionLink(request),
    [INVOKE.restoreVersion]: (request) => versions.restoreVersion(request),
    [INVOKE.undeleteKeys]: (request) => versions.undeleteKeys(request),
    [INVOKE.listDeletedKeys]: (request) => versions.listDeletedKeys(request),
    [INVOKE.planPointInTime]: (request) => versions.planPointInTime(request),
    [INVOKE.applyPointInTime]: (request) => versions.applyPointInTime(request),
    [INVOKE.pointInTimeProgress]: (request) => versions.pointInTimeProgress(request),
    [INVOKE.deleteVersionPermanently]: async (request) => {
      await confirmDeletion(host.ask, {
        bucket: request.bucket,
        count: `1 version of ${request.key}`,
        detail: `Version ${request.versionId} is removed for good: it cannot be restored.`,
        permanent: true,
      });
      return versions.deleteVersionPermanently(request);
    },
    [INVOKE.auditLog]: () => versions.auditLog(),
    [INVOKE.exportAuditLog]: (request) => versions.exportAuditLog(request),
    [INVOKE.downloadObjects]: (request) => downloads.downloadObjects(request),
    [INVOKE.requestRestore]: (request) => archive.requestRestore(request),
    [INVOKE.lifecycleOverview]: (request) => archive.lifecycleOverview(request),
    [INVOKE.previewLifecycle]: (request) => archive.previewLifecycle(request),
    [INVOKE.applyLifecycle]: (request) => archive.applyLifecycle(request),
    [INVOKE.checkUploadOptions]: (request) => buckets.checkUploadOptions(request),
    [INVOKE.createBucket]: (request) => buckets.createBucket(request),
    [INVOKE.bucketOverview]: (request) => buckets.bucketOverview(request),
    [INVOKE.objectAccess]: (request) => buckets.objectAccess(request),
  };
}
