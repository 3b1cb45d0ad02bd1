import type {
  ConflictPolicy,
  Preflight,
  Settings,
  StartUploadRequest,
} from '../../../preload/contract';
import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from './store';

export interface PreflightState {
  preflight: Preflight | null;
  /** The "apply to all" choice; null while the user still has to decide ("ask"). */
  conflictDefault: ConflictPolicy | null;
  /** Choices made on single conflicts; they win over `conflictDefault`. */
  conflictChoices: Readonly<Record<string, ConflictPolicy>>;
  /** The user ticked "also upload what these links point to". */
  followOutsideLinks: boolean;
}

export const NO_PREFLIGHT: PreflightState = {
  preflight: null,
  conflictDefault: null,
  conflictChoices: {},
  followOutsideLinks: false,
};

/**
 * When conflicts could not be checked there is nothing to ask about yet, so "ask" falls back to
 * skip: the choice that can never destroy an object already in the bucket.
 */
export function openPreflight(
  preflight: Preflight,
  policy: Settings['defaultConflictPolicy'],
): PreflightState {
  const fallback = preflight.conflictsChecked ? null : 'skip';
  return {
    preflight,
    conflictDefault: policy === 'ask' ? fallback : policy,
    conflictChoices: {},
    followOutsideLinks: false,
  };
}

export function choiceFor(state: PreflightState, key: string): ConflictPolicy | null {
  return state.conflictChoices[key] ?? state.conflictDefault;
}

export function chooseConflict(
  state: PreflightState,
  key: string,
  policy: ConflictPolicy,
): PreflightState {
  return { ...state, conflictChoices: { ...state.conflictChoices, [key]: policy } };
}

export function applyToAll(state: PreflightState, policy: ConflictPolicy): PreflightState {
  return { ...state, conflictDefault: policy, conflictChoices: {} };
}

export function unresolvedConflicts(state: PreflightState): number {
  if (!state.preflight || state.conflictDefault !== null) return 0;
  return state.preflight.conflicts.filter((c) => !state.conflictChoices[c.key]).length;
}

/** Files that will actually be sent: conflicts resolved as "skip" stay behind. */
export function filesToUpload(state: PreflightState): number {
  if (!state.preflight) return 0;
  const skipped = state.preflight.conflicts.filter((c) => choiceFor(state, c.key) === 'skip');
  return state.preflight.fileCount - skipped.length;
}

/** The request for `startUpload`, or null while a conflict still needs a decision. */
export function startRequest(state: PreflightState): StartUploadRequest | null {
  if (!state.preflight || unresolvedConflicts(state) > 0) return null;
  const request: StartUploadRequest = {
    preflightId: state.preflight.id,
    onConflict: state.conflictDefault ?? 'skip',
  };
  if (Object.keys(state.conflictChoices).length > 0) request.perKey = { ...state.conflictChoices };
  if (state.followOutsideLinks) request.followOutsideLinks = true;
  return request;
}

function pickPreflight(state: PreflightState): PreflightState {
  return {
    preflight: state.preflight,
    conflictDefault: state.conflictDefault,
    conflictChoices: state.conflictChoices,
    followOutsideLinks: state.followOutsideLinks,
  };
}

export interface PreflightSlice extends PreflightState {
  startingUpload: boolean;
  showPreflight(value: Preflight): void;
  closePreflight(): void;
  chooseConflict(key: string, policy: ConflictPolicy): void;
  applyToAllConflicts(policy: ConflictPolicy): void;
  setStartingUpload(value: boolean): void;
  setFollowOutsideLinks(value: boolean): void;
}

export const createPreflightSlice: StateCreator<AppState, [], [], PreflightSlice> = (set, get) => {
  const update = (change: (current: PreflightState) => PreflightState) =>
    set((state) => change(pickPreflight(state)));
  return {
    ...NO_PREFLIGHT,
    startingUpload: false,
    showPreflight: (value) =>
      set(openPreflight(value, get().settings?.defaultConflictPolicy ?? 'ask')),
    closePreflight: () => set({ ...NO_PREFLIGHT, startingUpload: false }),
    chooseConflict: (key, policy) => update((s) => chooseConflict(s, key, policy)),
    applyToAllConflicts: (policy) => update((s) => applyToAll(s, policy)),
    setStartingUpload: (startingUpload) => set({ startingUpload }),
    setFollowOutsideLinks: (followOutsideLinks) => set({ followOutsideLinks }),
  };
};
