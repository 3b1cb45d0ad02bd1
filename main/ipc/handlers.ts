import { INVOKE } from '../../preload/contract';
import type { AppServices } from '../service/appServices';
import type { InvokeHandlers } from './dispatch';

/** Each channel of the contract, served by the app's services. */
export function appHandlers({
  uploads,
  connections,
  downloads,
  queue,
  archive,
}: AppServices): InvokeHandlers {
  return {
    [INVOKE.planDropped]: (request) => uploads.planDropped(request),
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
    [INVOKE.downloadObjects]: (request) => downloads.downloadObjects(request),
    [INVOKE.requestRestore]: (request) => archive.requestRestore(request),
    [INVOKE.lifecycleOverview]: (request) => archive.lifecycleOverview(request),
    [INVOKE.previewLifecycle]: (request) => archive.previewLifecycle(request),
    [INVOKE.applyLifecycle]: (request) => archive.applyLifecycle(request),
  };
}
