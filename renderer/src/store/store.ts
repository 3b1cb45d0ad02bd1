import { createStore } from 'zustand/vanilla';
import { createBrowseSlice, type BrowseSlice } from './browse';
import { createConnectionsSlice, type ConnectionsSlice } from './connections';
import { createNoticesSlice, type NoticesSlice } from './notices';
import { createPreflightSlice, type PreflightSlice } from './preflight';
import { createQueueSlice, type QueueSlice } from './queue';
import { createUiSlice, type UiSlice } from './selection';
import { createSettingsSlice, type SettingsSlice } from './settings';
import { createViewSlice, type ViewSlice } from './view';
import { createUploadOptionsSlice, type UploadOptionsSlice } from './uploadOptions';

export type AppState = QueueSlice &
  UiSlice &
  PreflightSlice &
  SettingsSlice &
  ConnectionsSlice &
  NoticesSlice &
  BrowseSlice &
  ViewSlice &
  UploadOptionsSlice;

/** A vanilla store, so all state logic runs (and is tested) without React. */
export function createAppStore() {
  return createStore<AppState>()((...args) => ({
    ...createQueueSlice(...args),
    ...createUiSlice(...args),
    ...createPreflightSlice(...args),
    ...createSettingsSlice(...args),
    ...createConnectionsSlice(...args),
    ...createNoticesSlice(...args),
    ...createBrowseSlice(...args),
    ...createViewSlice(...args),
    ...createUploadOptionsSlice(...args),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
