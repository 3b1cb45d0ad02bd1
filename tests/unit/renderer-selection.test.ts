import { describe, expect, it } from 'vitest';
import {
  click,
  EMPTY_SELECTION,
  moveFocus,
  prune,
  selectAll,
  toggle,
  type Selection,
} from '../../renderer/src/store/selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const plain = { toggle: false, range: false };
const ids = (selection: Selection) => [...selection.selected].sort();

describe('renderer selection', () => {
  it('selects one row on a plain click', () => {
    const s = click(click(EMPTY_SELECTION, order, 'b', plain), order, 'd', plain);
    expect(ids(s)).toEqual(['d']);
    expect(s.anchorId).toBe('d');
    expect(s.focusId).toBe('d');
  });

  it('toggles rows with ctrl/cmd-click', () => {
    let s = click(EMPTY_SELECTION, order, 'a', plain);
    s = click(s, order, 'c', { toggle: true, range: false });
    expect(ids(s)).toEqual(['a', 'c']);
    s = click(s, order, 'a', { toggle: true, range: false });
    expect(ids(s)).toEqual(['c']);
  });

  it('selects a range with shift-click in either direction, keeping the anchor', () => {
    let s = click(EMPTY_SELECTION, order, 'b', plain);
    s = click(s, order, 'd', { toggle: false, range: true });
    expect(ids(s)).toEqual(['b', 'c', 'd']);
    s = click(s, order, 'a', { toggle: false, range: true });
    expect(ids(s)).toEqual(['a', 'b']);
    expect(s.anchorId).toBe('b');
  });

  it('adds a range to the selection with ctrl+shift-click', () => {
    let s = click(EMPTY_SELECTION, order, 'a', plain);
    s = click(s, order, 'd', { toggle: true, range: false });
    s = click(s, order, 'e', { toggle: true, range: true });
    expect(ids(s)).toEqual(['a', 'd', 'e']);
  });

  it('shift-click without an anchor selects just that row', () => {
    const s = click(EMPTY_SELECTION, order, 'c', { toggle: false, range: true });
    expect(ids(s)).toEqual(['c']);
  });

  it('moves the cursor with arrows, extends with shift and keeps with ctrl', () => {
    const move = { range: false, keepSelection: false };
    let s = moveFocus(EMPTY_SELECTION, order, 1, move);
    expect(s.focusId).toBe('a');
    s = moveFocus(s, order, 1, move);
    expect(ids(s)).toEqual(['b']);
    s = moveFocus(s, order, 2, { range: true, keepSelection: false });
    expect(ids(s)).toEqual(['b', 'c', 'd']);
    s = moveFocus(s, order, 1, { range: false, keepSelection: true });
    expect(s.focusId).toBe('e');
    expect(ids(s)).toEqual(['b', 'c', 'd']);
    s = toggle(s, 'e');
    expect(ids(s)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('clamps movement and jumps to the ends', () => {
    const move = { range: false, keepSelection: false };
    let s = moveFocus(EMPTY_SELECTION, order, 'last', move);
    expect(s.focusId).toBe('e');
    s = moveFocus(s, order, 10, move);
    expect(s.focusId).toBe('e');
    s = moveFocus(s, order, -10, move);
    expect(s.focusId).toBe('a');
    expect(moveFocus(EMPTY_SELECTION, [], 1, move)).toBe(EMPTY_SELECTION);
  });

  it('selects everything with ctrl+A', () => {
    expect(ids(selectAll(EMPTY_SELECTION, order))).toEqual(order);
  });

  it('prunes removed ids and returns the same object when nothing changed', () => {
    const s: Selection = { selected: new Set(['b', 'c']), anchorId: 'b', focusId: 'c' };
    expect(prune(s, order, order, () => true)).toBe(s);
    const remaining = ['a', 'd', 'e'];
    const pruned = prune(s, order, remaining, (id) => remaining.includes(id));
    expect(ids(pruned)).toEqual([]);
    expect(pruned.anchorId).toBeNull();
    expect(pruned.focusId).toBe('d');
    const tail = prune({ ...s, focusId: 'e' }, order, ['a'], (id) => id === 'a');
    expect(tail.focusId).toBe('a');
    expect(prune({ ...s, focusId: 'a' }, order, [], () => false).focusId).toBeNull();
  });
});
