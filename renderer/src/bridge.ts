import type { BucketdropApi } from '../../preload/contract';

/** The preload's API, or null when the page runs outside Electron (a plain browser, a test). */
export function findBridge(target: object = window): BucketdropApi | null {
  const bridge = (target as { bucketdrop?: unknown }).bucketdrop;
  return typeof bridge === 'object' && bridge !== null ? (bridge as BucketdropApi) : null;
}
