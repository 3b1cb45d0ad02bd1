import type {
  BucketdropApi,
  Destination,
  BucketOverview,
  BucketSetupStep,
  NewBucketRequest,
  ObjectAccessReport,
  Preflight,
  Result,
  UploadOptions,
} from '../../preload/contract';
import { normalizePrefix } from './keys';
import { effectiveOptions } from './store/uploadOptions';
import type { AppStore } from './store/store';

/** Options are checked once the user pauses typing, not on every keystroke. */
export const OPTIONS_CHECK_DELAY_MS = 300;

async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Upload options of the batch under review, destination defaults, and bucket setup. */
export function createOptionsController(api: BucketdropApi, store: AppStore) {
  const state = () => store.getState();
  let checkTimer: ReturnType<typeof setTimeout> | null = null;
  let checkRequest = 0;

  async function check(): Promise<void> {
    const request = ++checkRequest;
    const { optionsTarget, batchOptions } = state();
    if (!optionsTarget) return;
    const result = await settle(() =>
      api.checkUploadOptions(optionsTarget.bucket, effectiveOptions(batchOptions) ?? {}),
    );
    if (request !== checkRequest) return;
    state().setOptionsCheck(
      result.ok
        ? result.value
        : { problems: [], notices: [`The options could not be checked: ${result.error}`] },
    );
  }

  /** No options, nothing to ask: Start stays available at once. */
  function scheduleCheck(): void {
    if (checkTimer) clearTimeout(checkTimer);
    checkRequest++;
    if (!effectiveOptions(state().batchOptions)) {
      state().setOptionsCheck({ problems: [], notices: [] });
      return;
    }
    state().setOptionsCheck(null);
    checkTimer = setTimeout(() => void check(), OPTIONS_CHECK_DELAY_MS);
  }

  return {
    /** A new preflight starts from its destination's defaults. */
    openOptionsFor(preflight: Preflight): void {
      state().setOptionsTarget(preflight.destination);
      state().setBatchOptions(preflight.uploadOptions ?? {});
      scheduleCheck();
    },

    /** "Upload options…": edits the saved defaults of the destination bar's bucket and prefix. */
    openDefaultsEditor(): void {
      const { destination, settings } = state();
      const prefix = normalizePrefix(destination.prefix);
      const target: Destination = {
        bucket: destination.bucket.trim(),
        prefix: prefix.ok ? prefix.prefix : '',
      };
      const saved = (settings?.uploadDefaults ?? []).find(
        (entry) =>
          entry.connectionId === (settings?.activeConnectionId ?? null) &&
          entry.bucket === target.bucket &&
          entry.prefix === target.prefix,
      );
      state().setOptionsTarget(target);
      state().setBatchOptions(saved?.options ?? {});
      state().openBucketDialog('upload-options');
      scheduleCheck();
    },

    setBatchOptions(options: UploadOptions): void {
      state().setBatchOptions(options);
      scheduleCheck();
    },

    /** The batch's options, for the start request; undefined when none is set. */
    batchUploadOptions(): UploadOptions | undefined {
      return effectiveOptions(state().batchOptions);
    },

    /** Keeps the batch's options as the defaults of its destination (connection, bucket, prefix). */
    async saveOptionsAsDefaults(): Promise<string | null> {
      const { optionsTarget, settings, batchOptions } = state();
      if (!optionsTarget || !settings) return 'Nothing to save.';
      const connectionId = settings.activeConnectionId;
      const { bucket, prefix } = optionsTarget;
      const others = (settings.uploadDefaults ?? []).filter(
        (entry) =>
          !(
            entry.connectionId === connectionId &&
            entry.bucket === bucket &&
            entry.prefix === prefix
          ),
      );
      const options = effectiveOptions(batchOptions) ?? {};
      const result = await settle(() =>
        api.updateSettings({
          uploadDefaults: [...others, { connectionId, bucket, prefix, options }],
        }),
      );
      if (!result.ok) return result.error;
      state().setSettings(result.value);
      return null;
    },

    openBucketDialog(dialog: 'new-bucket' | 'overview'): void {
      state().openBucketDialog(dialog);
    },

    closeBucketDialog(): void {
      state().closeBucketDialog();
    },

    createBucket(request: NewBucketRequest): Promise<Result<BucketSetupStep[]>> {
      return settle(() => api.createBucket(request));
    },

    bucketOverview(bucket: string): Promise<Result<BucketOverview>> {
      return settle(() => api.bucketOverview(bucket));
    },

    objectAccess(bucket: string, key: string): Promise<Result<ObjectAccessReport>> {
      return settle(() => api.objectAccess(bucket, key));
    },
  };
}
