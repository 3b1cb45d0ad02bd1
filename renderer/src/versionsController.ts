import type { BucketdropApi, Result } from '../../preload/contract';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A Result even when the bridge itself throws, so panels show every failure in place. */
async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

type Methods = Pick<
  BucketdropApi,
  | 'versioningStatus'
  | 'enableVersioning'
  | 'listVersions'
  | 'previewVersion'
  | 'versionLink'
  | 'restoreVersion'
  | 'undeleteKeys'
  | 'listDeletedKeys'
  | 'planPointInTime'
  | 'applyPointInTime'
  | 'pointInTimeProgress'
  | 'deleteVersionPermanently'
  | 'auditLog'
  | 'exportAuditLog'
  | 'downloadObjects'
>;

/**
 * The versions calls for the panels. Unlike the queue's, failures are not pushed as notices:
 * each panel shows them next to the version or key they concern.
 */
export function createVersionsController(api: BucketdropApi): Methods {
  return {
    versioningStatus: (bucket) => settle(() => api.versioningStatus(bucket)),
    enableVersioning: (bucket) => settle(() => api.enableVersioning(bucket)),
    listVersions: (request) => settle(() => api.listVersions(request)),
    previewVersion: (ref) => settle(() => api.previewVersion(ref)),
    versionLink: (ref, expiresIn) => settle(() => api.versionLink(ref, expiresIn)),
    restoreVersion: (ref) => settle(() => api.restoreVersion(ref)),
    undeleteKeys: (bucket, keys) => settle(() => api.undeleteKeys(bucket, keys)),
    listDeletedKeys: (request) => settle(() => api.listDeletedKeys(request)),
    planPointInTime: (request) => settle(() => api.planPointInTime(request)),
    applyPointInTime: (planId) => settle(() => api.applyPointInTime(planId)),
    pointInTimeProgress: (planId) => settle(() => api.pointInTimeProgress(planId)),
    deleteVersionPermanently: (ref, typedKey) =>
      settle(() => api.deleteVersionPermanently(ref, typedKey)),
    auditLog: () => settle(() => api.auditLog()),
    exportAuditLog: (format) => settle(() => api.exportAuditLog(format)),
    downloadObjects: (selection) => settle(() => api.downloadObjects(selection)),
  };
}

export type VersionsController = ReturnType<typeof createVersionsController>;
