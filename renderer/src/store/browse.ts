import type { StateCreator } from 'zustand/vanilla';
import type {
  BrowseObject,
  BucketVersioning,
  ListPage,
  ObjectDetails,
  Thumbnail,
} from '../../../preload/contract';
import type { AppState } from './store';

export type BrowseLayout = 'list' | 'grid';
export type SortColumn = 'name' | 'size' | 'date';
export type FilterMode = 'starts' | 'contains';
export type BrowseDialog = 'new-folder' | 'delete' | 'link';

export interface BrowseLocation {
  bucket: string;
  prefix: string;
}

/** A row of the browser: a folder (common prefix) or an object. */
export type BrowseRow =
  | { kind: 'folder'; id: string; prefix: string; name: string }
  | { kind: 'object'; id: string; object: BrowseObject; name: string };

export interface BrowseListing {
  location: BrowseLocation;
  /** The server-side "starts with" the pages were asked with. */
  startsWith: string;
  prefixes: string[];
  objects: BrowseObject[];
  continuationToken: string | null;
  loading: boolean;
  error: string | null;
  versioning: BucketVersioning;
}

export interface BrowseSlice {
  browseLocation: BrowseLocation | null;
  browseBack: BrowseLocation[];
  browseForward: BrowseLocation[];
  listing: BrowseListing | null;
  browseLayout: BrowseLayout;
  sort: { column: SortColumn; descending: boolean };
  filter: { text: string; mode: FilterMode };
  /** Row ids (folder prefixes or object keys). */
  browseSelected: ReadonlySet<string>;
  browseCursor: string | null;
  details: { key: string; value: ObjectDetails | null; error: string | null } | null;
  /** By bucket, key and ETag, so a new upload under the same key gets a new picture. */
  thumbnails: ReadonlyMap<string, Thumbnail>;
  browseDialog: BrowseDialog | null;
  setBrowseDialog(dialog: BrowseDialog | null): void;
  /** Goes to a folder, recording history unless it is a move through the history itself. */
  navigate(location: BrowseLocation, how?: 'push' | 'back' | 'forward' | 'replace'): void;
  startListing(startsWith: string): void;
  applyPage(page: ListPage, first: boolean): void;
  setListingError(error: string): void;
  setListingLoading(loading: boolean): void;
  setBrowseLayout(layout: BrowseLayout): void;
  /** Toggles the direction when the column is already the sort, unless one is given. */
  setSort(column: SortColumn, descending?: boolean): void;
  setFilter(filter: Partial<BrowseSlice['filter']>): void;
  selectRow(id: string | null, toggle?: boolean): void;
  setDetails(details: BrowseSlice['details']): void;
  setThumbnail(id: string, thumbnail: Thumbnail): void;
}

export function thumbnailId(bucket: string, object: BrowseObject): string {
  return `${bucket}\u0000${object.key}\u0000${object.etag}`;
}

function leafName(key: string, prefix: string): string {
  return key.slice(prefix.length).replace(/\/$/, '');
}

const compareNames = (a: string, b: string) =>
  a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });

/**
 * The rows shown: folders first, then objects, both filtered by the contains text and sorted.
 * Only loaded rows: the note under the list says when more pages wait on the server.
 */
export function visibleRows(
  listing: BrowseListing | null,
  sort: BrowseSlice['sort'],
  filter: BrowseSlice['filter'],
): BrowseRow[] {
  if (!listing) return [];
  const { prefix } = listing.location;
  const needle = filter.mode === 'contains' ? filter.text.trim().toLocaleLowerCase() : '';
  const matches = (name: string) => needle === '' || name.toLocaleLowerCase().includes(needle);
  const folders: BrowseRow[] = listing.prefixes
    .map((p) => ({ kind: 'folder' as const, id: p, prefix: p, name: leafName(p, prefix) }))
    .filter((row) => matches(row.name))
    .sort(
      (a, b) => compareNames(a.name, b.name) * (sort.column === 'name' && sort.descending ? -1 : 1),
    );
  const objects = listing.objects
    .map((object) => ({
      kind: 'object' as const,
      id: object.key,
      object,
      name: leafName(object.key, prefix),
    }))
    .filter((row) => matches(row.name));
  const direction = sort.descending ? -1 : 1;
  objects.sort((a, b) => {
    const primary =
      sort.column === 'size'
        ? a.object.size - b.object.size
        : sort.column === 'date'
          ? (a.object.lastModified ?? '').localeCompare(b.object.lastModified ?? '')
          : 0;
    return (primary || compareNames(a.name, b.name)) * direction;
  });
  return [...folders, ...objects];
}

export const createBrowseSlice: StateCreator<AppState, [], [], BrowseSlice> = (set, get) => ({
  browseLocation: null,
  browseBack: [],
  browseForward: [],
  listing: null,
  browseLayout: 'list',
  sort: { column: 'name', descending: false },
  filter: { text: '', mode: 'contains' },
  browseSelected: new Set(),
  browseCursor: null,
  details: null,
  thumbnails: new Map(),
  browseDialog: null,
  setBrowseDialog: (browseDialog) => set({ browseDialog }),
  navigate: (location, how = 'push') => {
    const { browseLocation: current, browseBack, browseForward } = get();
    const same =
      current && current.bucket === location.bucket && current.prefix === location.prefix;
    if (same && how === 'push') return;
    let back = browseBack;
    let forward = browseForward;
    if (how === 'push' && current) {
      back = [...browseBack, current];
      forward = [];
    } else if (how === 'back') {
      back = browseBack.slice(0, -1);
      forward = current ? [current, ...browseForward] : browseForward;
    } else if (how === 'forward') {
      forward = browseForward.slice(1);
      back = current ? [...browseBack, current] : browseBack;
    }
    set({
      browseLocation: location,
      browseBack: back,
      browseForward: forward,
      listing: null,
      browseSelected: new Set(),
      browseCursor: null,
      details: null,
      filter: { ...get().filter, text: '' },
    });
  },
  startListing: (startsWith) => {
    const location = get().browseLocation;
    if (!location) return;
    set({
      listing: {
        location,
        startsWith,
        prefixes: [],
        objects: [],
        continuationToken: null,
        loading: true,
        error: null,
        versioning: 'unknown',
      },
      browseSelected: new Set(),
      browseCursor: null,
      details: null,
    });
  },
  applyPage: (page, first) => {
    const listing = get().listing;
    if (!listing) return;
    set({
      listing: {
        ...listing,
        prefixes: first ? page.prefixes : [...listing.prefixes, ...page.prefixes],
        objects: first ? page.objects : [...listing.objects, ...page.objects],
        continuationToken: page.continuationToken,
        loading: false,
        error: null,
        versioning: page.versioning ?? listing.versioning,
      },
    });
  },
  setListingError: (error) => {
    const listing = get().listing;
    if (listing) set({ listing: { ...listing, loading: false, error } });
  },
  setListingLoading: (loading) => {
    const listing = get().listing;
    if (listing) set({ listing: { ...listing, loading } });
  },
  setBrowseLayout: (browseLayout) => set({ browseLayout }),
  setSort: (column, descending) => {
    const { sort } = get();
    const toggled = sort.column === column ? !sort.descending : column !== 'name';
    set({ sort: { column, descending: descending ?? toggled } });
  },
  setFilter: (filter) => set({ filter: { ...get().filter, ...filter } }),
  selectRow: (id, toggle = false) => {
    if (id === null) {
      set({ browseSelected: new Set(), browseCursor: null });
      return;
    }
    if (toggle) {
      const selected = new Set(get().browseSelected);
      if (selected.has(id)) selected.delete(id);
      else selected.add(id);
      set({ browseSelected: selected, browseCursor: id });
    } else {
      set({ browseSelected: new Set([id]), browseCursor: id });
    }
  },
  setDetails: (details) => set({ details }),
  setThumbnail: (id, thumbnail) => {
    const thumbnails = new Map(get().thumbnails);
    thumbnails.set(id, thumbnail);
    set({ thumbnails });
  },
});
