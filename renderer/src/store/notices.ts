import type { StateCreator } from 'zustand/vanilla';
import type { Notice } from '../../../preload/contract';
import type { AppState } from './store';

export interface UiNotice extends Notice {
  id: number;
  /** How often the same message arrived while it was on screen. */
  count: number;
}

/** Keeps the region readable when the same error repeats: it counts instead of stacking. */
export function addNotice(notices: readonly UiNotice[], notice: Notice, id: number): UiNotice[] {
  const same = notices.find((n) => n.kind === notice.kind && n.message === notice.message);
  if (same) return notices.map((n) => (n === same ? { ...n, count: n.count + 1 } : n));
  return [...notices, { ...notice, id, count: 1 }];
}

export interface NoticesSlice {
  notices: UiNotice[];
  pushNotice(notice: Notice): void;
  dismissNotice(id: number): void;
}

export const createNoticesSlice: StateCreator<AppState, [], [], NoticesSlice> = (set) => {
  let nextId = 0;
  return {
    notices: [],
    pushNotice: (notice) => set((s) => ({ notices: addNotice(s.notices, notice, ++nextId) })),
    dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  };
};
