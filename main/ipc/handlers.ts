import { INVOKE } from '../../preload/contract';
import type { AppServices } from '../service/appServices';
import type { InvokeHandlers } from './dispatch';

/** Each channel of the contract, served by the app's services. */

export function appHandlers({
  uploads,
  connections,
  browse,
  versions,
}: AppServices): InvokeHandlers {
  return {
    [INVOKE.planDropped]: (request) => uploads.planDropped(request),
    [INVOKE.pick]: (request) => uploads.pick(request),
    [INVOKE.startUpload]: (request) => uploads.startUpload(request),
    [INVOKE.discardPreflight]: (request) => uploads.discardPreflight(request),
    [INVOKE.queueAction]: (request) => uploads.queueAction(request),
    [INVOKE.queueSnapshot]: () => uploads.queueSnapshot(),
    [INVOKE.resumeUnfinished]: () => uploads.resumeUnfinished(),
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
    [INVOKE.deleteObjects]: (request) => browse.deleteObjects(request),
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
    [INVOKE.deleteVersionPermanently]: (request) => versions.deleteVersionPermanently(request),
    [INVOKE.auditLog]: () => versions.auditLog(),
    [INVOKE.exportAuditLog]: (request) => versions.exportAuditLog(request),
  };
}
