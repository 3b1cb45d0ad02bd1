import type { StateCreator } from 'zustand/vanilla';
import type { ConnectionProfileView, ConnectionsOverview } from '../../../preload/contract';
import type { AppState } from './store';

/**
 * Saved connections as main describes them. Never a secret: profiles only say whether one is
 * stored, and what the editor types stays in the editor.
 */
export interface ConnectionsSlice {
  /** null until the first answer. */
  connections: ConnectionsOverview | null;
  connectionsError: string | null;
  connectionsOpen: boolean;
  setConnections(list: { overview: ConnectionsOverview } | { error: string }): void;
  setConnectionsOpen(open: boolean): void;
}

export const createConnectionsSlice: StateCreator<AppState, [], [], ConnectionsSlice> = (set) => ({
  connections: null,
  connectionsError: null,
  connectionsOpen: false,
  setConnections: (list) => {
    if ('error' in list) set({ connectionsError: list.error });
    else set({ connections: list.overview, connectionsError: null });
  },
  setConnectionsOpen: (connectionsOpen) => set({ connectionsOpen }),
});

/** The profile uploads use now; null for the default credentials or while unknown. */
export function activeProfile(
  state: Pick<AppState, 'settings' | 'connections'>,
): ConnectionProfileView | null {
  const id = state.settings?.activeConnectionId ?? null;
  if (id === null) return null;
  return state.connections?.profiles.find((profile) => profile.id === id) ?? null;
}
