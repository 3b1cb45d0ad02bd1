import { useEffect, useState, type ReactNode } from 'react';
import { useApp, useAppStore, useController } from '../context';
import { useVisibleRows } from '../hooks/useBrowse';
import { BrowseGrid } from './BrowseGrid';
import { BrowseList } from './BrowseList';
import { BrowseToolbar } from './BrowseToolbar';
import { DetailsPane } from './DetailsPane';

/** What the other parts of the app can plug in; each button shows only when its prop is given. */
export interface BrowserExtensions {
  onDownload?(selection: { bucket: string; keys: string[]; prefixes: string[] }): void;
  /** Offered instead of Download for archived (Glacier, Deep Archive) objects. */
  onRequestRestore?(object: { bucket: string; key: string }): void;
  onShowVersions?(object: { bucket: string; key: string }): void;
  /** With it, a "Show deleted files" toggle shows this below the listing. */
  renderDeletedFiles?(bucket: string, prefix: string): ReactNode;
  onOpenLifecycle?(bucket: string): void;
  /** An area at the end of the details pane. */
  renderObjectExtras?(bucket: string, key: string): ReactNode;
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString()} ${noun}${count === 1 ? '' : 's'}`;
}

function ListingStatus() {
  const controller = useController();
  const listing = useApp((s) => s.listing);
  const filter = useApp((s) => s.filter);
  const rows = useVisibleRows();
  if (!listing) return null;
  const loaded = listing.prefixes.length + listing.objects.length;
  const more = listing.continuationToken !== null;
  return (
    <div className="browse-status" data-testid="browse-status" aria-live="polite">
      {listing.error ? (
        <span className="field-error">
          Could not list s3://{listing.location.bucket}/{listing.location.prefix}: {listing.error}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => void controller.browse.refresh()}
          >
            Try again
          </button>
        </span>
      ) : (
        <>
          <span>
            {filter.mode === 'contains' && filter.text
              ? `${rows.length} of ${loaded} loaded rows match`
              : `${plural(listing.prefixes.length, 'folder')}, ${plural(listing.objects.length, 'file')}`}
            {more ? ' loaded, more on the server' : ''}
            {listing.loading ? ' · loading…' : ''}
          </span>
          {more && !listing.loading && filter.mode === 'contains' && filter.text && (
            <button
              type="button"
              className="link-button"
              onClick={() => void controller.browse.loadMore()}
            >
              Load more
            </button>
          )}
        </>
      )}
    </div>
  );
}

function EmptyFolder() {
  const listing = useApp((s) => s.listing);
  const filtered = useApp((s) => s.filter.text !== '');
  if (!listing || listing.loading || listing.error) return null;
  return (
    <div className="browse-empty" data-testid="browse-empty">
      <p className="empty-title">
        {filtered ? 'Nothing matches the filter' : 'This folder is empty'}
      </p>
      <p className="empty-text">Drop files here to upload them into this folder.</p>
    </div>
  );
}

/** The bucket browser: toolbar, list or grid, details of the selected file. */
export function BucketBrowser(extensions: BrowserExtensions) {
  const controller = useController();
  const store = useAppStore();
  const location = useApp((s) => s.browseLocation);
  const layout = useApp((s) => s.browseLayout);
  const rows = useVisibleRows();
  const cursor = useApp((s) => s.browseCursor);
  const hasRows = rows.length > 0;
  const [showDeleted, setShowDeleted] = useState(false);
  const destinationBucket = useApp((s) => s.destination.bucket);

  // Settings may load after the tab was opened: start where uploads go, once it is known.
  useEffect(() => {
    if (!location && destinationBucket) controller.browse.showBrowser();
  }, [location, destinationBucket, controller]);

  // Alt+Left and Alt+Right move through the history, as in a file manager or browser.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!event.altKey || store.getState().browseDialog !== null) return;
      if (event.key === 'ArrowLeft') {
        event.preventDefault();
        controller.browse.goBack();
      } else if (event.key === 'ArrowRight') {
        event.preventDefault();
        controller.browse.goForward();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller, store]);

  // When uploads finish, what they wrote should show.
  useEffect(
    () =>
      store.subscribe((now, before) => {
        if (before.overall.filesActive > 0 && now.overall.filesActive === 0) {
          void controller.browse.refresh();
        }
      }),
    [store, controller],
  );

  // The details pane follows the cursor when it rests on a file.
  useEffect(() => {
    const row = rows.find((r) => r.id === cursor);
    if (row?.kind === 'object') void controller.browse.showDetails(row.object.key);
    else store.getState().setDetails(null);
    // Rows change as pages arrive; only a move of the cursor asks for details again.
  }, [cursor, controller, store]);

  return (
    <section className="browser" aria-label="Bucket browser" data-testid="browser">
      <BrowseToolbar
        extensions={extensions}
        showDeleted={showDeleted}
        onShowDeletedChange={setShowDeleted}
      />
      {location ? (
        <div className="browse-main">
          <div className="browse-content">
            {layout === 'list' ? <BrowseList rows={rows} /> : <BrowseGrid rows={rows} />}
            {!hasRows && <EmptyFolder />}
            <ListingStatus />
            {showDeleted && extensions.renderDeletedFiles && (
              <div className="browse-deleted">
                {extensions.renderDeletedFiles(location.bucket, location.prefix)}
              </div>
            )}
          </div>
          <DetailsPane extensions={extensions} />
        </div>
      ) : (
        <div className="browse-empty" data-testid="browse-no-bucket">
          <p className="empty-title">Choose a bucket to browse</p>
        </div>
      )}
    </section>
  );
}
