import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef } from 'react';
import { useApp } from '../context';
import { useBrowseKeys, useLoadAhead, useRowPointer } from '../hooks/useBrowse';
import { formatBytes } from '../format';
import { formatDate } from '../browseFormat';
import type { BrowseRow, SortColumn } from '../store/browse';
import { Icon } from './Icon';

export const BROWSE_ROW_HEIGHT = 36;

export function browseRowDomId(id: string): string {
  return `browse-row-${encodeURIComponent(id)}`;
}

function SortHeader({ column, label }: { column: SortColumn; label: string }) {
  const sort = useApp((s) => s.sort);
  const setSort = useApp((s) => s.setSort);
  const active = sort.column === column;
  return (
    <div
      role="columnheader"
      aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
      className={`browse-col browse-col-${column}`}
    >
      <button
        type="button"
        className="browse-sort-button"
        data-testid={`browse-sort-${column}`}
        onClick={() => setSort(column)}
      >
        {label}
        {active && <span aria-hidden="true">{sort.descending ? ' ↓' : ' ↑'}</span>}
      </button>
    </div>
  );
}

/** The folder as a virtualized table: only the rows on screen exist in the DOM. */
export function BrowseList({ rows }: { rows: BrowseRow[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const cursor = useApp((s) => s.browseCursor);
  const selected = useApp((s) => s.browseSelected);
  const { onClick, onDoubleClick } = useRowPointer();
  const onKeyDown = useBrowseKeys(rows, 1);
  const getItemKey = useCallback((index: number) => rows[index]?.id ?? index, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => BROWSE_ROW_HEIGHT,
    overscan: 8,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  useLoadAhead(items.at(-1)?.index ?? 0, rows.length);

  useEffect(() => {
    if (cursor === null) return;
    const index = rows.findIndex((row) => row.id === cursor);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [cursor, rows, virtualizer]);

  return (
    <div className="browse-table" role="grid" aria-label="Files" aria-rowcount={rows.length + 1}>
      <div role="row" className="browse-row browse-head">
        <SortHeader column="name" label="Name" />
        <SortHeader column="size" label="Size" />
        <SortHeader column="date" label="Modified" />
        <div role="columnheader" className="browse-col">
          Storage class
        </div>
      </div>
      <div
        ref={scrollRef}
        className="browse-scroll"
        data-testid="browse-list"
        tabIndex={0}
        role="rowgroup"
        aria-activedescendant={cursor ? browseRowDomId(cursor) : undefined}
        onKeyDown={onKeyDown}
      >
        <div className="browse-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <div
                key={item.key}
                id={browseRowDomId(row.id)}
                role="row"
                aria-selected={selected.has(row.id)}
                aria-rowindex={item.index + 2}
                data-testid="browse-row"
                data-kind={row.kind}
                data-name={row.name}
                className={`browse-row${cursor === row.id ? ' is-cursor' : ''}${selected.has(row.id) ? ' is-selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={(event) => onClick(event, row)}
                onDoubleClick={() => onDoubleClick(row)}
              >
                <div role="gridcell" className="browse-col browse-col-name">
                  <Icon name={row.kind === 'folder' ? 'folder' : 'file'} />
                  <span className="browse-name">{row.name}</span>
                </div>
                <div role="gridcell" className="browse-col browse-col-size">
                  {row.kind === 'object' ? formatBytes(row.object.size) : ''}
                </div>
                <div role="gridcell" className="browse-col browse-col-date">
                  {row.kind === 'object' ? formatDate(row.object.lastModified) : ''}
                </div>
                <div role="gridcell" className="browse-col browse-col-class">
                  {row.kind === 'object' ? row.object.storageClass : ''}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
