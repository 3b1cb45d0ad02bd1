import { INVOKE } from '../../preload/contract';
import type { AppServices } from '../service/appServices';
import type { InvokeHandlers } from './dispatch';

/** Each channel of the contract, served by the app's services. */
export function appHandlers({ uploads, connections, buckets }: AppServices): InvokeHandlers {
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
    [INVOKE.checkUploadOptions]: (request) => buckets.checkUploadOptions(request),
    [INVOKE.createBucket]: (request) => buckets.createBucket(request),
    [INVOKE.bucketOverview]: (request) => buckets.bucketOverview(request),
    [INVOKE.objectAccess]: (request) => buckets.objectAccess(request),
  };
}
