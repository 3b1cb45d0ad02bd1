import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result, VersionCursorView } from '../../../../preload/contract';

export interface ListPage<T> {
  items: T[];
  next?: VersionCursorView;
}

export interface PagedList<T> {
  items: T[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore(): void;
  /** Starts again from the first page, e.g. after an action changed the list. */
  reload(): void;
}

/**
 * A list read a page at a time: the first page at once, the rest when asked for. A new
 * `fetchPage` (memoize it) starts the list again.
 */
export function usePagedList<T>(
  fetchPage: (cursor: VersionCursorView | undefined) => Promise<Result<ListPage<T>>>,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<VersionCursorView | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers to an earlier list or an earlier reload must not land in the current one.
  const generation = useRef(0);

  const load = useCallback(
    async (cursor: VersionCursorView | undefined, replace: boolean) => {
      const mine = ++generation.current;
      setLoading(true);
      setError(null);
      const page = await fetchPage(cursor);
      if (mine !== generation.current) return;
      setLoading(false);
      if (!page.ok) {
        setError(page.error);
        return;
      }
      setItems((old) => (replace ? page.value.items : [...old, ...page.value.items]));
      setNext(page.value.next);
    },
    [fetchPage],
  );

  useEffect(() => {
    setItems([]);
    setNext(undefined);
    void load(undefined, true);
  }, [load]);

  return {
    items,
    loading,
    error,
    hasMore: next !== undefined,
    loadMore: () => {
      if (next && !loading) void load(next, false);
    },
    reload: () => void load(undefined, true),
  };
}
