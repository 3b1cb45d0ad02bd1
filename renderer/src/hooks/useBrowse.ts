import { useCallback, useEffect, useMemo, type KeyboardEvent, type MouseEvent } from 'react';
import { useApp, useAppStore, useController } from '../context';
import { type BrowseRow, visibleRows } from '../store/browse';

/** Rows from the end at which the next page is asked for. */
export const LOAD_AHEAD_ROWS = 40;

/** The rows on screen, with a stable identity between renders that change nothing in them. */
export function useVisibleRows(): BrowseRow[] {
  const listing = useApp((s) => s.listing);
  const sort = useApp((s) => s.sort);
  const filter = useApp((s) => s.filter);
  return useMemo(() => visibleRows(listing, sort, filter), [listing, sort, filter]);
}

/**
 * Keys the list and the grid share. Arrows move the cursor (by `columns` up and down in the
 * grid), Enter opens a folder, Backspace goes up, Delete asks to delete the selection.
 */
export function useBrowseKeys(rows: BrowseRow[], columns: number) {
  const store = useAppStore();
  const controller = useController();
  return useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      if (event.target !== event.currentTarget || event.altKey) return;
      const state = store.getState();
      const index = rows.findIndex((row) => row.id === state.browseCursor);
      const moveTo = (next: number) => {
        event.preventDefault();
        const row = rows[Math.max(0, Math.min(rows.length - 1, next))];
        if (row) state.selectRow(row.id, false);
      };
      const cursorRow = index >= 0 ? rows[index] : undefined;
      switch (event.key) {
        case 'ArrowDown':
          return moveTo(index < 0 ? 0 : index + columns);
        case 'ArrowUp':
          return moveTo(index < 0 ? 0 : index - columns);
        case 'ArrowRight':
          if (columns > 1) moveTo(index + 1);
          return;
        case 'ArrowLeft':
          if (columns > 1) moveTo(index - 1);
          return;
        case 'Home':
          return moveTo(0);
        case 'End':
          return moveTo(rows.length - 1);
        case ' ':
          event.preventDefault();
          if (cursorRow) state.selectRow(cursorRow.id, true);
          return;
        case 'Enter':
          if (cursorRow?.kind === 'folder' && state.browseLocation) {
            event.preventDefault();
            controller.browse.openLocation({
              bucket: state.browseLocation.bucket,
              prefix: cursorRow.prefix,
            });
          }
          return;
        case 'Backspace':
          event.preventDefault();
          controller.browse.goUp();
          return;
        case 'Delete':
          if (state.browseSelected.size > 0) {
            event.preventDefault();
            state.setBrowseDialog('delete');
          }
          return;
      }
    },
    [rows, columns, store, controller],
  );
}

/** Click selects, Ctrl/Cmd-click toggles, double-click opens a folder. */
export function useRowPointer() {
  const store = useAppStore();
  const controller = useController();
  const onClick = useCallback(
    (event: MouseEvent, row: BrowseRow) =>
      store.getState().selectRow(row.id, event.ctrlKey || event.metaKey),
    [store],
  );
  const onDoubleClick = useCallback(
    (row: BrowseRow) => {
      const location = store.getState().browseLocation;
      if (row.kind === 'folder' && location) {
        controller.browse.openLocation({ bucket: location.bucket, prefix: row.prefix });
      }
    },
    [store, controller],
  );
  return { onClick, onDoubleClick };
}

/** Asks for the next page when the last rendered row comes near the end of what is loaded. */
export function useLoadAhead(lastRenderedIndex: number, rowCount: number) {
  const controller = useController();
  const canLoad = useApp(
    (s) =>
      s.listing !== null &&
      s.listing.continuationToken !== null &&
      !s.listing.loading &&
      s.listing.error === null &&
      // A "contains" filter could scan a huge folder page by page: the user asks for more.
      !(s.filter.mode === 'contains' && s.filter.text !== ''),
  );
  useEffect(() => {
    if (canLoad && lastRenderedIndex >= rowCount - LOAD_AHEAD_ROWS)
      void controller.browse.loadMore();
  }, [canLoad, lastRenderedIndex, rowCount, controller]);
}
