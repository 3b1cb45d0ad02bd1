import { useCallback, useEffect, useRef, useState } from 'react';
import type { ObjectVersionView, VersionCursorView } from '../../../../preload/contract';
import { useController } from '../../context';

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
  const [versions, setVersions] = useState<ObjectVersionView[]>([]);
  const [next, setNext] = useState<VersionCursorView | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers to an earlier key or an earlier reload must not land in the current list.
  const generation = useRef(0);

  const load = useCallback(
    async (cursor: VersionCursorView | undefined, replace: boolean) => {
      const mine = ++generation.current;
      setLoading(true);
      setError(null);
      const result = await api.listVersions({ bucket, key, ...(cursor && { cursor }) });
      if (mine !== generation.current) return;
      setLoading(false);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setVersions((old) => (replace ? result.value.versions : [...old, ...result.value.versions]));
      setNext(result.value.next);
    },
    [api, bucket, key],
  );

  useEffect(() => {
    setVersions([]);
    setNext(undefined);
    void load(undefined, true);
  }, [load]);

  return {
    versions,
    loading,
    error,
    hasMore: next !== undefined,
    loadMore: () => {
      if (next && !loading) void load(next, false);
    },
    reload: () => void load(undefined, true),
  };
}
