import { useCallback } from 'react';
import type { ObjectVersionView, VersionCursorView } from '../../../../preload/contract';
import { useController } from '../../context';
import { usePagedList } from './usePagedList';

export interface VersionHistory {
  versions: ObjectVersionView[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore(): void;
  /** Starts again from the newest version, e.g. after a restore made a new one. */
  reload(): void;
}

/** One key's history, a page at a time: the first page at once, the rest when asked for. */
export function useVersionHistory(bucket: string, key: string): VersionHistory {
  const { versions: api } = useController();
  const fetchPage = useCallback(
    async (cursor: VersionCursorView | undefined) => {
      const result = await api.listVersions({ bucket, key, ...(cursor && { cursor }) });
      return result.ok
        ? { ok: true as const, value: { items: result.value.versions, next: result.value.next } }
        : result;
    },
    [api, bucket, key],
  );
  const { items, ...list } = usePagedList(fetchPage);
  return { versions: items, ...list };
}
