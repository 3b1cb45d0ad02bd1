import type { StateCreator } from 'zustand/vanilla';
import type { Destination, UploadOptions, UploadOptionsCheck } from '../../../preload/contract';
import type { AppState } from './store';

export type BucketDialog = 'new-bucket' | 'overview' | 'upload-options';

export interface UploadOptionsSlice {
  /** The options being edited: a batch's (from its destination's defaults) or a destination's. */
  batchOptions: UploadOptions;
  /** Where those options apply: the preflight's destination, or the one whose defaults are edited. */
  optionsTarget: Destination | null;
  /** Main's verdict on `batchOptions`; null while it is being checked. */
  optionsCheck: UploadOptionsCheck | null;
  bucketDialog: BucketDialog | null;
  setBatchOptions(options: UploadOptions): void;
  setOptionsTarget(target: Destination | null): void;
  setOptionsCheck(check: UploadOptionsCheck | null): void;
  openBucketDialog(dialog: BucketDialog): void;
  closeBucketDialog(): void;
}

const NO_PROBLEMS: UploadOptionsCheck = { problems: [], notices: [] };

export const createUploadOptionsSlice: StateCreator<AppState, [], [], UploadOptionsSlice> = (
  set,
) => ({
  batchOptions: {},
  optionsTarget: null,
  optionsCheck: NO_PROBLEMS,
  bucketDialog: null,
  setBatchOptions: (batchOptions) => set({ batchOptions }),
  setOptionsTarget: (optionsTarget) => set({ optionsTarget }),
  setOptionsCheck: (optionsCheck) => set({ optionsCheck }),
  openBucketDialog: (bucketDialog) => set({ bucketDialog }),
  closeBucketDialog: () => set({ bucketDialog: null }),
});

/** Start waits for the check and for every problem to be fixed. */
export function optionsBlockStart(state: AppState): boolean {
  return state.optionsCheck === null || state.optionsCheck.problems.length > 0;
}

/** Drops empty fields, so that "nothing chosen" sends nothing. */
export function effectiveOptions(options: UploadOptions): UploadOptions | undefined {
  const entries = Object.entries(options).filter(([, value]) => {
    if (value === undefined || value === false || value === '') return false;
    return !(Array.isArray(value) && value.length === 0);
  });
  return entries.length > 0 ? (Object.fromEntries(entries) as UploadOptions) : undefined;
}
