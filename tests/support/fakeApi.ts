import { vi } from 'vitest';
import { API_METHODS, type BucketdropApi, type Result } from '../../preload/contract';

/**
 * A bridge whose every method fails "not in this test" (and whose listeners never fire), for
 * tests to override the few methods they are about: a new channel needs no change here.
 */
export function unusedApi(): BucketdropApi {
  const api: Record<string, unknown> = {};
  for (const method of API_METHODS) {
    api[method] = method.startsWith('on')
      ? vi.fn(() => () => {})
      : vi.fn(() => Promise.resolve<Result<never>>({ ok: false, error: 'not in this test' }));
  }
  return api as unknown as BucketdropApi;
}
