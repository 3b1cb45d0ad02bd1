import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from './store';

export type AppView = 'queue' | 'browse' | 'history';

/** What the History view was showing, kept while the user switches to the queue and back. */
export interface HistoryTarget {
  bucket: string;
  /** A key (the versions of one object) or a prefix ending in "/" (deleted files under it). */
  path: string;
}

export interface ViewSlice {
  /** The upload queue is the default view. */
  view: AppView;
  history: HistoryTarget;
  setView(view: AppView): void;
  setHistoryTarget(target: HistoryTarget): void;
}

export const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set) => ({
  view: 'queue',
  history: { bucket: '', path: '' },
  setView: (view) => set({ view }),
  setHistoryTarget: (history) => set({ history }),
});
