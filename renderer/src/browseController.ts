import type {
  BrowseObject,
  BucketdropApi,
  DeleteReport,
  Result,
  ShareLinks,
} from '../../preload/contract';
import { type BrowseLocation, thumbnailId } from './store/browse';
import type { AppStore } from './store/store';

type Call = <T>(run: () => Promise<Result<T>>, options?: { quiet?: boolean }) => Promise<Result<T>>;

/** Thumbnails asked at once; main limits its own work too, this keeps the IPC queue short. */
const THUMBNAILS_IN_FLIGHT = 6;
/** A "starts with" filter lists again once typing pauses this long. */
export const FILTER_DELAY_MS = 300;

/**
 * The bucket browser's talk with main: one page per request as the user scrolls, details and
 * thumbnails on demand. Answers for a folder the user has left are dropped.
 */
export function createBrowseController(api: BucketdropApi, store: AppStore, call: Call) {
  const state = () => store.getState();
  /** Counts listings, so a late page of a previous folder or filter is ignored. */
  let listingRequest = 0;
  const thumbnailQueue: Array<{ bucket: string; object: BrowseObject }> = [];
  const thumbnailsAsked = new Set<string>();
  let thumbnailsRunning = 0;
  let filterTimer: ReturnType<typeof setTimeout> | null = null;

  async function loadFirstPage(): Promise<void> {
    const { browseLocation: location, filter } = state();
    if (!location) return;
    const request = ++listingRequest;
    const startsWith = filter.mode === 'starts' ? filter.text : '';
    state().startListing(startsWith);
    const result = await call(
      () => api.listPage({ ...location, ...(startsWith ? { startsWith } : {}) }),
      { quiet: true },
    );
    if (request !== listingRequest) return;
    if (result.ok) state().applyPage(result.value, true);
    else state().setListingError(result.error);
  }

  async function loadMore(): Promise<void> {
    const listing = state().listing;
    if (!listing || listing.loading || !listing.continuationToken || listing.error) return;
    const request = listingRequest;
    state().setListingLoading(true);
    const result = await call(
      () =>
        api.listPage({
          ...listing.location,
          ...(listing.startsWith ? { startsWith: listing.startsWith } : {}),
          continuationToken: listing.continuationToken!,
        }),
      { quiet: true },
    );
    if (request !== listingRequest) return;
    if (result.ok) state().applyPage(result.value, false);
    else state().setListingError(result.error);
  }

  function pumpThumbnails(): void {
    while (thumbnailsRunning < THUMBNAILS_IN_FLIGHT && thumbnailQueue.length > 0) {
      const next = thumbnailQueue.pop()!;
      thumbnailsRunning++;
      const { bucket, object } = next;
      void call(
        () =>
          api.thumbnail({
            bucket,
            key: object.key,
            etag: object.etag,
            size: object.size,
            storageClass: object.storageClass,
          }),
        { quiet: true },
      ).then((result) => {
        thumbnailsRunning--;
        state().setThumbnail(
          thumbnailId(bucket, object),
          result.ok
            ? result.value
            : { kind: 'placeholder', reason: 'failed', message: result.error },
        );
        pumpThumbnails();
      });
    }
  }

  return {
    /** Opens the browser where uploads go, the first time it is shown. */
    showBrowser(): void {
      state().setView('browse');
      if (state().browseLocation) return;
      const { destination } = state();
      if (!destination.bucket) return;
      state().navigate({ bucket: destination.bucket, prefix: '' }, 'replace');
      void loadFirstPage();
    },

    openLocation(location: BrowseLocation): void {
      state().navigate(location);
      void loadFirstPage();
    },

    goBack(): void {
      const previous = state().browseBack.at(-1);
      if (!previous) return;
      state().navigate(previous, 'back');
      void loadFirstPage();
    },

    goForward(): void {
      const next = state().browseForward[0];
      if (!next) return;
      state().navigate(next, 'forward');
      void loadFirstPage();
    },

    goUp(): void {
      const location = state().browseLocation;
      if (!location || location.prefix === '') return;
      const parent = location.prefix.replace(/[^/]*\/$/, '');
      state().navigate({ bucket: location.bucket, prefix: parent });
      void loadFirstPage();
    },

    refresh: loadFirstPage,
    loadMore,

    /**
     * A "starts with" filter is the server's job: the folder is listed again with it, once the
     * user pauses typing.
     */
    setFilterText(text: string): void {
      state().setFilter({ text });
      if (filterTimer) clearTimeout(filterTimer);
      filterTimer = null;
      if (state().filter.mode !== 'starts') return;
      filterTimer = setTimeout(() => {
        filterTimer = null;
        void loadFirstPage();
      }, FILTER_DELAY_MS);
    },

    setFilterMode(mode: 'starts' | 'contains'): void {
      state().setFilter({ mode });
      if (state().filter.text) void loadFirstPage();
    },

    async showDetails(key: string): Promise<void> {
      const location = state().browseLocation;
      if (!location) return;
      state().setDetails({ key, value: null, error: null });
      const result = await call(() => api.objectDetails(location.bucket, key), { quiet: true });
      if (state().details?.key !== key) return;
      state().setDetails(
        result.ok
          ? { key, value: result.value, error: null }
          : { key, value: null, error: result.error },
      );
    },

    /** Asked by each grid cell as it scrolls into view; the newest asks go first. */
    requestThumbnail(bucket: string, object: BrowseObject): void {
      const id = thumbnailId(bucket, object);
      if (thumbnailsAsked.has(id)) return;
      thumbnailsAsked.add(id);
      thumbnailQueue.push({ bucket, object });
      pumpThumbnails();
    },

    async createFolder(name: string): Promise<string | null> {
      const location = state().browseLocation;
      if (!location) return 'Choose a bucket first.';
      const result = await call(() => api.createFolder(location.bucket, location.prefix, name), {
        quiet: true,
      });
      if (!result.ok) return result.error;
      await loadFirstPage();
      return null;
    },

    async deleteSelection(keys: string[], prefixes: string[]): Promise<Result<DeleteReport>> {
      const location = state().browseLocation;
      if (!location) return { ok: false, error: 'Choose a bucket first.' };
      const result = await call(
        () => api.deleteObjects({ bucket: location.bucket, keys, prefixes }),
        { quiet: true },
      );
      if (result.ok) await loadFirstPage();
      return result;
    },

    shareLinks(bucket: string, key: string, expiresInSeconds: number): Promise<Result<ShareLinks>> {
      return call(() => api.shareLinks({ bucket, key, expiresInSeconds }), { quiet: true });
    },

    /** Files dropped on the browser go to the folder shown, through the usual preflight. */
    async planDroppedHere(files: File[]): Promise<void> {
      const location = state().browseLocation;
      if (!location || files.length === 0) return;
      if (state().preflight) {
        state().pushNotice({
          kind: 'error',
          message: 'Finish or cancel the upload that is waiting for review first.',
        });
        return;
      }
      state().setBusy('Reading the dropped files…');
      const result = await call(() => api.planDroppedFiles(files, location));
      state().setBusy(null);
      if (result.ok) state().showPreflight(result.value);
    },
  };
}

export type BrowseController = ReturnType<typeof createBrowseController>;
