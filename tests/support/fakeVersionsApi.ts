import { vi } from 'vitest';
import type { BucketdropApi, Result } from '../../preload/contract';

type VersionsApi = Pick<
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
>;

/** The versions part of a fake bridge, for tests about something else: every call fails. */
export function unusedVersionsApi(): VersionsApi {
  const unused = () =>
    vi.fn(() => Promise.resolve<Result<never>>({ ok: false, error: 'not in this test' }));
  return {
    versioningStatus: unused(),
    enableVersioning: unused(),
    listVersions: unused(),
    previewVersion: unused(),
    versionLink: unused(),
    restoreVersion: unused(),
    undeleteKeys: unused(),
    listDeletedKeys: unused(),
    planPointInTime: unused(),
    applyPointInTime: unused(),
    pointInTimeProgress: unused(),
    deleteVersionPermanently: unused(),
    auditLog: unused(),
    exportAuditLog: unused(),
  };
}
