import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type FocusEvent, type KeyboardEvent } from 'react';
import { useApp, useAppStore, useController } from '../context';
import type { FocusMove } from '../store/selection';
import { EmptyQueue } from './EmptyQueue';
import { QueueRow, ROW_HEIGHT, rowDomId } from './QueueRow';

const OVERSCAN = 6;

/**
 * The queue as a virtualized grid: only the visible rows (plus a few) exist in the DOM. This
 * component subscribes to the id order and the cursor only; each row subscribes to its own item,
 * so progress updates re-render just the rows whose items changed.
 */
export function QueueList() {
  const store = useAppStore();
  const controller = useController();
  const order = useApp((s) => s.order);
  const focusId = useApp((s) => s.focusId);
  const scrollRef = useRef<HTMLDivElement>(null);

  // Stable between renders: the virtualizer recomputes every row's offset when it changes.
  const getItemKey = useCallback((index: number) => order[index] ?? index, [order]);
  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey,
  });

  // Keeps the cursor row rendered and visible, which aria-activedescendant relies on.
  useEffect(() => {
    if (focusId === null) return;
    const index = store.getState().order.indexOf(focusId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [focusId, store, virtualizer]);

  if (order.length === 0) {
    return (
      <div ref={scrollRef} className="queue queue-empty" data-testid="queue">
        <EmptyQueue />
      </div>
    );
  }

  const pageSize = () =>
    Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const state = store.getState();
    const modifier = event.ctrlKey || event.metaKey;
    const move = (to: FocusMove) => {
      event.preventDefault();
      state.moveFocus(to, { range: event.shiftKey, keepSelection: modifier && !event.shiftKey });
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(1);
      case 'ArrowUp':
        return move(-1);
      case 'PageDown':
        return move(pageSize());
      case 'PageUp':
        return move(-pageSize());
      case 'Home':
        return move('first');
      case 'End':
        return move('last');
      case ' ':
        event.preventDefault();
        if (state.focusId) state.toggleRow(state.focusId);
        return;
      case 'a':
      case 'A':
        if (modifier) {
          event.preventDefault();
          state.selectAll();
        }
        return;
      case 'Escape':
        if (state.selected.size > 0) {
          event.preventDefault();
          state.clearSelection();
        }
        return;
      case 'Delete':
      case 'Backspace':
        event.preventDefault();
        void controller.deleteSelection();
        return;
      case 'Enter': {
        const item = state.focusId ? state.items.get(state.focusId) : undefined;
        if (item?.state === 'failed') {
          event.preventDefault();
          void controller.queueAction('retry', [item.id]);
        }
        return;
      }
    }
  };

  // Tabbing in puts the cursor on the first row; a click sets it itself, so skip that case.
  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const state = store.getState();
    if (event.target !== event.currentTarget || state.focusId !== null) return;
    if (event.currentTarget.matches(':focus-visible')) {
      state.moveFocus('first', { range: false, keepSelection: true });
    }
  };

  return (
    <div
      ref={scrollRef}
      className="queue"
      data-testid="queue"
      role="grid"
      aria-label="Upload queue"
      aria-multiselectable="true"
      aria-rowcount={order.length}
      aria-colcount={4}
      aria-activedescendant={focusId ? rowDomId(focusId) : undefined}
      aria-describedby="queue-keys"
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      <div role="rowgroup" className="queue-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => (
          <QueueRow key={row.key} id={order[row.index]!} index={row.index} start={row.start} />
        ))}
      </div>
    </div>
  );
}
