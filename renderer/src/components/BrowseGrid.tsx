import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { BrowseObject } from '../../../preload/contract';
import { useApp, useController } from '../context';
import { formatBytes } from '../format';
import { useBrowseKeys, useLoadAhead, useRowPointer } from '../hooks/useBrowse';
import { type BrowseRow, thumbnailId } from '../store/browse';
import { browseRowDomId } from './BrowseList';
import { Icon } from './Icon';

const CELL_WIDTH = 168;
const CELL_HEIGHT = 206;

/** A cell's picture: asked for when the cell is rendered, i.e. only for visible cells. */
const Thumb = memo(function Thumb({ bucket, object }: { bucket: string; object: BrowseObject }) {
  const controller = useController();
  const id = thumbnailId(bucket, object);
  const thumbnail = useApp((s) => s.thumbnails.get(id));
  useEffect(() => controller.browse.requestThumbnail(bucket, object), [controller, bucket, object]);
  if (!thumbnail) {
    return (
      <div
        className="thumb thumb-loading"
        aria-label="Loading preview"
        data-testid="thumb-loading"
      />
    );
  }
  if (thumbnail.kind === 'image') {
    return <img className="thumb" src={thumbnail.dataUrl} alt="" data-testid="thumb-image" />;
  }
  return (
    <div
      className={`thumb thumb-placeholder thumb-${thumbnail.reason}`}
      title={thumbnail.message}
      data-testid="thumb-placeholder"
      data-reason={thumbnail.reason}
    >
      <Icon name={thumbnail.reason === 'archived' ? 'archive' : 'file'} size={36} />
      <span className="thumb-caption">{thumbnail.message}</span>
    </div>
  );
});

/** The folder as a grid of thumbnails, virtualized by rows of cells. */
export function BrowseGrid({ rows }: { rows: BrowseRow[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);
  const bucket = useApp((s) => s.browseLocation?.bucket ?? '');
  const cursor = useApp((s) => s.browseCursor);
  const selected = useApp((s) => s.browseSelected);
  const { onClick, onDoubleClick } = useRowPointer();
  const onKeyDown = useBrowseKeys(rows, columns);

  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() =>
      setColumns(Math.max(1, Math.floor((element.clientWidth - 16) / CELL_WIDTH))),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const lineCount = Math.ceil(rows.length / columns);
  const getItemKey = useCallback((index: number) => index, []);
  const virtualizer = useVirtualizer({
    count: lineCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CELL_HEIGHT,
    overscan: 2,
    getItemKey,
  });
  const lines = virtualizer.getVirtualItems();
  useLoadAhead(((lines.at(-1)?.index ?? 0) + 1) * columns, rows.length);

  useEffect(() => {
    if (cursor === null) return;
    const index = rows.findIndex((row) => row.id === cursor);
    if (index >= 0) virtualizer.scrollToIndex(Math.floor(index / columns), { align: 'auto' });
  }, [cursor, rows, columns, virtualizer]);

  return (
    <div
      ref={scrollRef}
      className="browse-grid"
      data-testid="browse-grid"
      role="grid"
      aria-label="Files"
      tabIndex={0}
      aria-activedescendant={cursor ? browseRowDomId(cursor) : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="browse-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {lines.map((line) => (
          <div
            key={line.key}
            role="row"
            className="browse-grid-line"
            style={{ transform: `translateY(${line.start}px)` }}
          >
            {rows.slice(line.index * columns, line.index * columns + columns).map((row) => (
              <div
                key={row.id}
                id={browseRowDomId(row.id)}
                role="gridcell"
                aria-selected={selected.has(row.id)}
                data-testid="browse-cell"
                data-kind={row.kind}
                data-name={row.name}
                className={`browse-cell${cursor === row.id ? ' is-cursor' : ''}${selected.has(row.id) ? ' is-selected' : ''}`}
                onClick={(event) => onClick(event, row)}
                onDoubleClick={() => onDoubleClick(row)}
              >
                {row.kind === 'folder' ? (
                  <div className="thumb thumb-folder">
                    <Icon name="folder" size={48} />
                  </div>
                ) : (
                  <Thumb bucket={bucket} object={row.object} />
                )}
                <span className="browse-cell-name" title={row.name}>
                  {row.name}
                </span>
                <span className="browse-cell-meta">
                  {row.kind === 'object' ? formatBytes(row.object.size) : 'Folder'}
                </span>
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
