import { INVOKE } from '../../preload/contract';
import type { AppServices } from '../service/appServices';
import type { InvokeHandlers } from './dispatch';

/** Each channel of the contract, served by the app's services. */
export function appHandlers({ uploads, connections, browse }: AppServices): InvokeHandlers {
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
  };
}
