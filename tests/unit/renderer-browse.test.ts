import { describe, expect, it, vi } from 'vitest';
import type {
  BrowseObject,
  BucketdropApi,
  ListPage,
  ListPageRequest,
  Result,
} from '../../preload/contract';
import { createBrowseController } from '../../renderer/src/browseController';
import { type BrowseListing, visibleRows } from '../../renderer/src/store/browse';
import { createAppStore } from '../../renderer/src/store/store';

function object(key: string, size: number, lastModified: string): BrowseObject {
  return { key, size, lastModified, etag: `"${key}"`, storageClass: 'STANDARD' };
}

const LISTING: BrowseListing = {
  location: { bucket: 'b', prefix: 'shoots/' },
  startsWith: '',
  prefixes: ['shoots/Zoo/', 'shoots/alps/'],
  objects: [
    object('shoots/IMG 10.jpg', 300, '2024-01-03T00:00:00Z'),
    object('shoots/IMG 9.jpg', 100, '2024-01-01T00:00:00Z'),
    object('shoots/beach.png', 200, '2024-01-02T00:00:00Z'),
  ],
  continuationToken: 'more',
  loading: false,
  error: null,
  versioning: 'Off',
};

describe('the rows the browser shows', () => {
  it('puts folders first and sorts names naturally, sizes and dates either way', () => {
    const names = (column: 'name' | 'size' | 'date', descending: boolean) =>
      visibleRows(LISTING, { column, descending }, { text: '', mode: 'contains' }).map(
        (r) => r.name,
      );
    expect(names('name', false)).toEqual(['alps', 'Zoo', 'beach.png', 'IMG 9.jpg', 'IMG 10.jpg']);
    expect(names('size', true)).toEqual(['alps', 'Zoo', 'IMG 10.jpg', 'beach.png', 'IMG 9.jpg']);
    expect(names('date', false)).toEqual(['alps', 'Zoo', 'IMG 9.jpg', 'beach.png', 'IMG 10.jpg']);
  });

  it('filters loaded rows by a contains text, ignoring case; "starts with" is left to the server', () => {
    const sort = { column: 'name' as const, descending: false };
    expect(
      visibleRows(LISTING, sort, { text: 'img', mode: 'contains' }).map((r) => r.name),
    ).toEqual(['IMG 9.jpg', 'IMG 10.jpg']);
    expect(visibleRows(LISTING, sort, { text: 'img', mode: 'starts' })).toHaveLength(5);
  });
});

describe('browser history', () => {
  it('goes back and forward, and a new folder clears the forward list', () => {
    const store = createAppStore();
    const state = () => store.getState();
    state().navigate({ bucket: 'b', prefix: '' }, 'replace');
    state().navigate({ bucket: 'b', prefix: 'a/' });
    state().navigate({ bucket: 'b', prefix: 'a/b/' });
    state().navigate(state().browseBack.at(-1)!, 'back');
    expect(state().browseLocation).toEqual({ bucket: 'b', prefix: 'a/' });
    expect(state().browseForward).toEqual([{ bucket: 'b', prefix: 'a/b/' }]);
    state().navigate(state().browseForward[0]!, 'forward');
    expect(state().browseLocation).toEqual({ bucket: 'b', prefix: 'a/b/' });
    state().navigate(state().browseBack.at(-1)!, 'back');
    state().navigate({ bucket: 'b', prefix: 'a/c/' });
    expect(state().browseForward).toEqual([]);
    expect(state().browseBack).toEqual([
      { bucket: 'b', prefix: '' },
      { bucket: 'b', prefix: 'a/' },
    ]);
  });
});

describe('the browse controller', () => {
  it('asks for one page at a time, and drops a late page of a folder the user left', async () => {
    const pending: Array<{ request: ListPageRequest; resolve: (page: ListPage) => void }> = [];
    const listPage = vi.fn(
      (request: ListPageRequest) =>
        new Promise<Result<ListPage>>((resolve) =>
          pending.push({ request, resolve: (page) => resolve({ ok: true, value: page }) }),
        ),
    );
    const store = createAppStore();
    const browse = createBrowseController({ listPage } as unknown as BucketdropApi, store, (run) =>
      run(),
    );
    store.getState().setDestination({ bucket: 'b', prefix: 'ignored/' });
    browse.showBrowser();
    expect(listPage).toHaveBeenCalledTimes(1);
    expect(pending[0]!.request).toEqual({ bucket: 'b', prefix: '' });
    // More is asked only once the first page is in.
    await browse.loadMore();
    expect(listPage).toHaveBeenCalledTimes(1);
    pending[0]!.resolve({
      prefixes: ['a/'],
      objects: [object('x.jpg', 1, '2024-01-01T00:00:00Z')],
      continuationToken: 't1',
      versioning: 'Enabled',
    });
    await vi.waitFor(() => expect(store.getState().listing?.loading).toBe(false));
    void browse.loadMore();
    expect(pending[1]!.request).toEqual({ bucket: 'b', prefix: '', continuationToken: 't1' });

    // The user opens a folder before the second page arrives.
    browse.openLocation({ bucket: 'b', prefix: 'a/' });
    pending[1]!.resolve({
      prefixes: [],
      objects: [object('late.jpg', 1, '')],
      continuationToken: null,
    });
    pending[2]!.resolve({
      prefixes: [],
      objects: [object('a/y.jpg', 2, '')],
      continuationToken: null,
    });
    await vi.waitFor(() => expect(store.getState().listing?.loading).toBe(false));
    expect(store.getState().listing?.objects.map((o) => o.key)).toEqual(['a/y.jpg']);
    expect(store.getState().browseBack).toEqual([{ bucket: 'b', prefix: '' }]);
  });
});
