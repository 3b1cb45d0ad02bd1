import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from './store';

export interface Selection {
  selected: ReadonlySet<string>;
  /** Where a shift-click or shift-arrow range starts. */
  anchorId: string | null;
  /** The keyboard cursor in the queue (the grid's active descendant). */
  focusId: string | null;
}

export const EMPTY_SELECTION: Selection = { selected: new Set(), anchorId: null, focusId: null };

export interface ClickModifiers {
  /** Ctrl on Windows and Linux, Cmd on macOS. */
  toggle: boolean;
  range: boolean;
}

function between(order: readonly string[], from: string | null, to: string): string[] {
  const end = order.indexOf(to);
  if (end < 0) return [];
  const start = from === null ? -1 : order.indexOf(from);
  if (start < 0) return [to];
  return order.slice(Math.min(start, end), Math.max(start, end) + 1);
}

/** File-manager semantics: click selects one, toggle adds or removes, range extends. */
export function click(
  selection: Selection,
  order: readonly string[],
  id: string,
  modifiers: ClickModifiers,
): Selection {
  if (modifiers.range) {
    const range = between(order, selection.anchorId, id);
    const selected = new Set(modifiers.toggle ? selection.selected : []);
    for (const rangeId of range) selected.add(rangeId);
    return { selected, anchorId: selection.anchorId ?? id, focusId: id };
  }
  if (modifiers.toggle) return toggle(selection, id);
  return { selected: new Set([id]), anchorId: id, focusId: id };
}

export function toggle(selection: Selection, id: string): Selection {
  const selected = new Set(selection.selected);
  if (!selected.delete(id)) selected.add(id);
  return { selected, anchorId: id, focusId: id };
}

export type FocusMove = number | 'first' | 'last';

/**
 * Arrow-key movement. Plain moves select the new row, `range` extends from the anchor, and
 * `keepSelection` (Ctrl+arrow) moves only the cursor so Space can build a scattered selection.
 */
export function moveFocus(
  selection: Selection,
  order: readonly string[],
  move: FocusMove,
  options: { range: boolean; keepSelection: boolean },
): Selection {
  if (order.length === 0) return selection;
  const current = selection.focusId === null ? -1 : order.indexOf(selection.focusId);
  let index: number;
  if (move === 'first') index = 0;
  else if (move === 'last') index = order.length - 1;
  else if (current < 0) index = move > 0 ? 0 : order.length - 1;
  else index = Math.min(order.length - 1, Math.max(0, current + move));
  const id = order[index]!;
  if (options.keepSelection) return { ...selection, focusId: id };
  if (options.range) return click(selection, order, id, { toggle: false, range: true });
  return { selected: new Set([id]), anchorId: id, focusId: id };
}

export function selectAll(selection: Selection, order: readonly string[]): Selection {
  return { ...selection, selected: new Set(order) };
}

/**
 * Forgets ids that left the queue. The cursor moves to the row that took the removed row's
 * place, so keyboard users keep their position after Delete.
 */
export function prune(
  selection: Selection,
  previousOrder: readonly string[],
  order: readonly string[],
  exists: (id: string) => boolean,
): Selection {
  let selected = selection.selected;
  for (const id of selection.selected) {
    if (!exists(id)) {
      selected = new Set([...selection.selected].filter(exists));
      break;
    }
  }
  const anchorId =
    selection.anchorId !== null && exists(selection.anchorId) ? selection.anchorId : null;
  let focusId = selection.focusId;
  if (focusId !== null && !exists(focusId)) {
    const index = previousOrder.slice(0, previousOrder.indexOf(focusId)).filter(exists).length;
    focusId = order[Math.min(index, order.length - 1)] ?? null;
  }
  if (
    selected === selection.selected &&
    anchorId === selection.anchorId &&
    focusId === selection.focusId
  ) {
    return selection;
  }
  return { selected, anchorId, focusId };
}

export function pickSelection(state: Selection): Selection {
  return { selected: state.selected, anchorId: state.anchorId, focusId: state.focusId };
}

/** Selection and transient UI state: what the user is pointing at, not what main knows. */
export interface UiSlice extends Selection {
  /** What a long call is doing ("Reading the dropped files…"), for the status line. */
  busy: string | null;
  clickRow(id: string, modifiers: ClickModifiers): void;
  toggleRow(id: string): void;
  moveFocus(move: FocusMove, options: { range: boolean; keepSelection: boolean }): void;
  selectAll(): void;
  clearSelection(): void;
  setBusy(busy: string | null): void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => {
  const update = (change: (current: Selection, order: readonly string[]) => Selection) =>
    set((state) => change(pickSelection(state), state.order));
  return {
    ...EMPTY_SELECTION,
    busy: null,
    clickRow: (id, modifiers) => update((s, order) => click(s, order, id, modifiers)),
    toggleRow: (id) => update((s) => toggle(s, id)),
    moveFocus: (move, options) => update((s, order) => moveFocus(s, order, move, options)),
    selectAll: () => update((s, order) => selectAll(s, order)),
    clearSelection: () => update((s) => ({ ...s, selected: new Set() })),
    setBusy: (busy) => set({ busy }),
  };
};
