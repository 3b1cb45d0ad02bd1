import type {
  BucketdropApi,
  ChecksumProbeResult,
  ConnectionTestResult,
  Destination,
  DownloadSelection,
  LifecycleAdditions,
  LifecycleOverview,
  LifecyclePreview,
  RestoreRequest,
  RestoreStatus,
  Preflight,
  Result,
  SaveConnectionResult,
  Settings,
} from '../../preload/contract';
import { createBrowseController } from './browseController';
import { applicableIds, deletePlan, type ItemAction } from './itemActions';
import { destinationUrl, normalizePrefix } from './keys';
import { createOptionsController } from './optionsController';
import { startRequest } from './store/preflight';
import type { AppStore } from './store/store';
import { createVersionsController } from './versionsController';

/** Typing in the prefix field saves once the user pauses, not on every keystroke. */
export const DESTINATION_SAVE_DELAY_MS = 500;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Everything that talks to main. Components call these and read the store; they never hold the
 * API themselves, so every failure ends up in the same notices region.
 */
export function createController(api: BucketdropApi, store: AppStore) {
  const state = () => store.getState();
  const report = (message: string) => state().pushNotice({ kind: 'error', message });
  const options = createOptionsController(api, store);

  /** Unwraps a Result; rejected promises (a broken bridge) become Results too. */
  async function call<T>(
    run: () => Promise<Result<T>>,
    options: { quiet?: boolean } = {},
  ): Promise<Result<T>> {
    let result: Result<T>;
    try {
      result = await run();
    } catch (error) {
      result = { ok: false, error: messageOf(error) };
    }
    if (!result.ok && !options.quiet) report(result.error);
    return result;
  }

  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set once the user edits the destination, so a late settings load does not undo the edit. */
  let destinationEdited = false;
  /** Drops and picks wait for it: before settings load there is no destination to check. */
  let settingsLoaded: Promise<void> = Promise.resolve();

  async function saveDestination(): Promise<void> {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    const result = await call(() => api.updateSettings({ destination: state().destination }));
    if (result.ok) state().setSettings(result.value);
  }

  function scheduleDestinationSave(): void {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void saveDestination(), DESTINATION_SAVE_DELAY_MS);
  }

  /** A drop or pick needs somewhere to go; says what is missing instead of asking main. */
  function readyDestination(): Destination | null {
    const { destination, preflight } = state();
    if (preflight) {
      report('Finish or cancel the upload that is waiting for review first.');
      return null;
    }
    const prefix = normalizePrefix(destination.prefix);
    if (!prefix.ok) {
      report(prefix.error);
      return null;
    }
    if (!destinationUrl(destination)) {
      report('Choose a bucket before adding files.');
      return null;
    }
    return { bucket: destination.bucket.trim(), prefix: destination.prefix };
  }

  async function plan(busy: string, run: () => Promise<Result<Preflight | null>>) {
    state().setBusy(busy);
    const result = await call(run);
    state().setBusy(null);
    if (result.ok && result.value) {
      state().showPreflight(result.value);
      options.openOptionsFor(result.value);
    }
  }

  /** Counts requests, so that after a quick change of connection only the last list shows. */
  let bucketsRequest = 0;

  async function loadBuckets(): Promise<void> {
    const request = ++bucketsRequest;
    state().setBuckets(null);
    const result = await call(() => api.listBuckets(), { quiet: true });
    if (request !== bucketsRequest) return;
    state().setBuckets(result.ok ? { buckets: result.value } : { error: result.error });
  }

  async function loadConnections(options: { quiet?: boolean } = {}): Promise<void> {
    const result = await call(() => api.connectionsOverview(), options);
    state().setConnections(result.ok ? { overview: result.value } : { error: result.error });
  }

  /**
   * Switches the connection uploads and listings use. The bar shows the choice at once; the
   * destination becomes the connection's default, and buckets are listed with it.
   */
  async function selectConnection(id: string | null): Promise<void> {
    const { settings, connections, destination: before } = state();
    if (!settings || settings.activeConnectionId === id) return;
    const profile = id === null ? undefined : connections?.profiles.find((p) => p.id === id);
    if (id !== null && !profile) return;
    const destination = {
      bucket: profile?.defaultBucket ?? '',
      prefix: profile?.defaultPrefix ?? '',
    };
    // The pending edit was for the previous connection's bucket; the switch replaces it.
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    destinationEdited = true;
    state().setSettings({ ...settings, activeConnectionId: id });
    state().setDestination(destination);
    // The previous connection's buckets must not be offered, nor a late answer for them shown.
    bucketsRequest++;
    state().setBuckets(null);
    const result = await call(() => api.updateSettings({ activeConnectionId: id, destination }));
    const untouched = state().destination === destination;
    if (result.ok) {
      state().setSettings(result.value);
      if (untouched) state().setDestination(result.value.destination);
    } else {
      const current = state().settings;
      if (current)
        state().setSettings({ ...current, activeConnectionId: settings.activeConnectionId });
      if (untouched) state().setDestination(before);
    }
    await loadBuckets();
  }

  async function queueAction(action: ItemAction | 'clear-finished', ids?: string[]) {
    if (ids && ids.length === 0) return;
    await call(() => api.queueAction(ids ? { action, ids } : { action }));
  }

  return {
    /** Subscribes before loading, so no delta between the two is lost; returns the cleanup. */
    connect(): () => void {
      const offProgress = api.onProgress((snapshot) => state().applyProgress(snapshot));
      const offNotice = api.onNotice((notice) => state().pushNotice(notice));
      void call(() => api.queueSnapshot()).then((result) => {
        if (result.ok) state().replaceQueue(result.value);
      });
      settingsLoaded = call(() => api.getSettings()).then((result) => {
        if (!result.ok) return;
        state().setSettings(result.value);
        if (!destinationEdited) state().setDestination(result.value.destination);
      });
      void loadBuckets();
      void loadConnections();
      return () => {
        offProgress();
        offNotice();
        if (saveTimer) void saveDestination();
      };
    },

    loadBuckets,

    setBucket(bucket: string): void {
      destinationEdited = true;
      state().setDestination({ ...state().destination, bucket });
      scheduleDestinationSave();
    },

    setPrefix(prefix: string): void {
      destinationEdited = true;
      state().setDestination({ ...state().destination, prefix });
      scheduleDestinationSave();
    },

    /** Saves a pending destination edit now, e.g. when the field loses focus. */
    async flushDestination(): Promise<void> {
      if (saveTimer) await saveDestination();
    },

    async planDropped(files: File[]): Promise<void> {
      await settingsLoaded;
      const destination = readyDestination();
      if (!destination || files.length === 0) return;
      await plan('Reading the dropped files…', () => api.planDroppedFiles(files, destination));
    },

    async pick(kind: 'files' | 'folder'): Promise<void> {
      await settingsLoaded;
      const destination = readyDestination();
      if (!destination) return;
      await plan('Reading the chosen files…', () => api.pick(kind, destination));
    },

    async startUpload(): Promise<void> {
      const request = startRequest(state());
      if (!request || state().startingUpload) return;
      const uploadOptions = options.batchUploadOptions();
      if (uploadOptions) request.uploadOptions = uploadOptions;
      state().setStartingUpload(true);
      const result = await call(() => api.startUpload(request));
      if (result.ok) state().closePreflight();
      else state().setStartingUpload(false);
    },

    async discardPreflight(): Promise<void> {
      const current = state().preflight;
      if (!current) return;
      state().closePreflight();
      await call(() => api.discardPreflight(current.id));
    },

    queueAction,

    /** An action on the selected rows, sent only for the rows it applies to. */
    async actOnSelection(action: ItemAction): Promise<void> {
      const { selected, items } = state();
      await queueAction(action, applicableIds(action, selected, items));
    },

    /** Delete: removes finished rows and cancels unfinished ones (the cursor row if none). */
    async deleteSelection(): Promise<void> {
      const { selected, focusId, items } = state();
      const ids = selected.size > 0 ? selected : focusId ? [focusId] : [];
      const { remove, cancel } = deletePlan(ids, items);
      await Promise.all([queueAction('remove', remove), queueAction('cancel', cancel)]);
    },

    /** Saves the settings dialog; returns the error to show inside it, or null when saved. */
    async saveSettings(patch: Partial<Settings>): Promise<string | null> {
      const result = await call(() => api.updateSettings(patch), { quiet: true });
      if (!result.ok) return result.error;
      state().setSettings(result.value);
      return null;
    },

    loadConnections,
    selectConnection,

    /** Opens the connections dialog with a fresh list (AWS profiles may have changed on disk). */
    openConnections(): void {
      state().setConnectionsOpen(true);
      void loadConnections({ quiet: true });
    },

    closeConnections(): void {
      state().setConnectionsOpen(false);
    },

    /**
     * Saves a connection; the secret passes straight through to main and is kept nowhere. A
     * failure comes back as `error` for the editor to show, not as a notice.
     */
    async saveConnection(
      request: Parameters<BucketdropApi['saveConnection']>[0],
    ): Promise<SaveConnectionResult | { error: string }> {
      const result = await call(() => api.saveConnection(request), { quiet: true });
      if (!result.ok) return { error: result.error };
      if ('saved' in result.value) {
        await loadConnections({ quiet: true });
        // Keys, endpoint or region of the connection in use may have changed.
        if (result.value.saved.id === state().settings?.activeConnectionId) void loadBuckets();
      }
      return result.value;
    },

    /** Removes a connection; when it was in use, uploads go back to the default credentials. */
    async removeConnection(id: string): Promise<string | null> {
      const result = await call(() => api.removeConnection(id), { quiet: true });
      if (!result.ok) return result.error;
      await loadConnections({ quiet: true });
      if (state().settings?.activeConnectionId === id) {
        // Main has switched to the default credentials; take its settings as they are now.
        const settings = await call(() => api.getSettings());
        if (settings.ok) state().setSettings(settings.value);
        void loadBuckets();
      }
      return null;
    },

    testConnection(
      request: Parameters<BucketdropApi['testConnection']>[0],
    ): Promise<Result<ConnectionTestResult>> {
      return call(() => api.testConnection(request), { quiet: true });
    },

    probeChecksums(id: string, bucket: string): Promise<Result<ChecksumProbeResult>> {
      return call(() => api.probeChecksums(id, bucket), { quiet: true });
    },

    async resumeUnfinished(): Promise<void> {
      await call(() => api.resumeUnfinished());
    },

    browse: createBrowseController(api, store, call),
    /** Version history, restore, undelete and audit calls for the versions panels. */
    versions: createVersionsController(api),
    /** Main asks where to with its own dialog; the rows appear in the queue as they start. */
    async downloadObjects(selection: DownloadSelection): Promise<void> {
      await call(() => api.downloadObjects(selection));
    },

    /** The restore and lifecycle dialogs show their failures inside themselves. */
    requestRestore(request: RestoreRequest): Promise<Result<RestoreStatus>> {
      return call(() => api.requestRestore(request), { quiet: true });
    },

    lifecycleOverview(bucket: string): Promise<Result<LifecycleOverview>> {
      return call(() => api.lifecycleOverview(bucket), { quiet: true });
    },

    previewLifecycle(
      bucket: string,
      additions: LifecycleAdditions,
    ): Promise<Result<LifecyclePreview>> {
      return call(() => api.previewLifecycle(bucket, additions), { quiet: true });
    },

    applyLifecycle(
      bucket: string,
      additions: LifecycleAdditions,
    ): Promise<Result<LifecyclePreview>> {
      return call(() => api.applyLifecycle(bucket, additions), { quiet: true });
    },
    ...options,
  };
}

export type Controller = ReturnType<typeof createController>;
