import type { StateCreator } from 'zustand/vanilla';
import type { Destination, Settings } from '../../../preload/contract';
import type { AppState } from './store';

export type BucketList = { buckets: string[] } | { error: string };

export interface SettingsSlice {
  settings: Settings | null;
  /** What the destination bar shows; saved to settings shortly after each edit. */
  destination: Destination;
  /** null while loading; empty with `bucketsError` when listing failed. */
  buckets: string[] | null;
  bucketsError: string | null;
  settingsOpen: boolean;
  setSettings(settings: Settings): void;
  setDestination(destination: Destination): void;
  setBuckets(list: BucketList | null): void;
  setSettingsOpen(open: boolean): void;
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  settings: null,
  destination: { bucket: '', prefix: '' },
  buckets: null,
  bucketsError: null,
  settingsOpen: false,
  setSettings: (settings) => set({ settings }),
  setDestination: (destination) => set({ destination }),
  setBuckets: (list) => {
    if (list === null) set({ buckets: null, bucketsError: null });
    else if ('error' in list) set({ buckets: [], bucketsError: list.error });
    else set({ buckets: list.buckets, bucketsError: null });
  },
  setSettingsOpen: (settingsOpen) => set({ settingsOpen }),
});
