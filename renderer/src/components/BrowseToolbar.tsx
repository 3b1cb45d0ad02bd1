import { useState } from 'react';
import { useApp, useController } from '../context';
import { isArchivedClass } from '../browseFormat';
import type { BrowserExtensions } from './BucketBrowser';
import { Icon } from './Icon';

/** Buckets from the listing, or a typed name when the credentials may not list them. */
function BrowseBucketPicker() {
  const controller = useController();
  const bucket = useApp((s) => s.browseLocation?.bucket ?? '');
  const buckets = useApp((s) => s.buckets);
  const listFailed = useApp((s) => s.bucketsError !== null);
  const [typed, setTyped] = useState(bucket);
  const open = (name: string) => {
    const trimmed = name.trim();
    if (trimmed) controller.browse.openLocation({ bucket: trimmed, prefix: '' });
  };

  if (listFailed) {
    return (
      <form
        className="browse-bucket"
        onSubmit={(event) => {
          event.preventDefault();
          open(typed);
        }}
      >
        <input
          className="input"
          type="text"
          value={typed}
          placeholder="Type a bucket name"
          aria-label="Bucket (buckets could not be listed: type its name)"
          spellCheck={false}
          autoComplete="off"
          data-testid="browse-bucket-input"
          onChange={(event) => setTyped(event.target.value)}
        />
        <button type="submit" className="button">
          Open
        </button>
      </form>
    );
  }
  const options =
    buckets !== null && bucket && !buckets.includes(bucket) ? [bucket, ...buckets] : buckets;
  return (
    <select
      className="input select browse-bucket"
      aria-label="Bucket"
      value={bucket}
      disabled={buckets === null}
      data-testid="browse-bucket-select"
      onChange={(event) => open(event.target.value)}
    >
      <option value="" disabled>
        {buckets === null ? 'Loading buckets…' : 'Choose a bucket…'}
      </option>
      {options?.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  );
}

function Breadcrumbs() {
  const controller = useController();
  const location = useApp((s) => s.browseLocation);
  if (!location) return null;
  const parts = location.prefix.split('/').filter(Boolean);
  const crumbs = [
    { label: location.bucket, prefix: '' },
    ...parts.map((part, i) => ({ label: part, prefix: `${parts.slice(0, i + 1).join('/')}/` })),
  ];
  return (
    <nav className="breadcrumbs" aria-label="Folder path" data-testid="breadcrumbs">
      <ol>
        {crumbs.map((crumb, i) => (
          <li key={crumb.prefix}>
            {i === crumbs.length - 1 ? (
              <span aria-current="page">{crumb.label}</span>
            ) : (
              <button
                type="button"
                className="link-button"
                onClick={() =>
                  controller.browse.openLocation({ bucket: location.bucket, prefix: crumb.prefix })
                }
              >
                {crumb.label}
              </button>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function IconButton(props: {
  icon: Parameters<typeof Icon>[0]['name'];
  label: string;
  testId: string;
  disabled?: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      className="button button-icon"
      aria-label={props.label}
      title={props.label}
      data-testid={props.testId}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <Icon name={props.icon} />
    </button>
  );
}

interface ToolbarProps {
  extensions: BrowserExtensions;
  showDeleted: boolean;
  onShowDeletedChange(show: boolean): void;
}

/** Navigation, filter, layout and the actions on the selection. */
export function BrowseToolbar({ extensions, showDeleted, onShowDeletedChange }: ToolbarProps) {
  const controller = useController();
  const location = useApp((s) => s.browseLocation);
  const canGoBack = useApp((s) => s.browseBack.length > 0);
  const canGoForward = useApp((s) => s.browseForward.length > 0);
  const layout = useApp((s) => s.browseLayout);
  const setLayout = useApp((s) => s.setBrowseLayout);
  const filter = useApp((s) => s.filter);
  const selected = useApp((s) => s.browseSelected);
  const objects = useApp((s) => s.listing?.objects);
  const setDialog = useApp((s) => s.setBrowseDialog);
  const sort = useApp((s) => s.sort);
  const setSort = useApp((s) => s.setSort);

  const selectedKeys = [...selected].filter((id) => !id.endsWith('/'));
  const selectedPrefixes = [...selected].filter((id) => id.endsWith('/'));
  const single =
    selectedKeys.length === 1 && selectedPrefixes.length === 0
      ? objects?.find((o) => o.key === selectedKeys[0])
      : undefined;
  const archived = single ? isArchivedClass(single.storageClass) : false;
  const bucket = location?.bucket ?? '';

  return (
    <div className="browse-toolbars">
      <div className="toolbar browse-nav">
        <div className="toolbar-actions">
          <IconButton
            icon="back"
            label="Back (Alt+Left)"
            testId="browse-back"
            disabled={!canGoBack}
            onClick={() => controller.browse.goBack()}
          />
          <IconButton
            icon="forward"
            label="Forward (Alt+Right)"
            testId="browse-forward"
            disabled={!canGoForward}
            onClick={() => controller.browse.goForward()}
          />
          <IconButton
            icon="up"
            label="Up one folder (Backspace)"
            testId="browse-up"
            disabled={!location || location.prefix === ''}
            onClick={() => controller.browse.goUp()}
          />
          <IconButton
            icon="refresh"
            label="Refresh"
            testId="browse-refresh"
            disabled={!location}
            onClick={() => void controller.browse.refresh()}
          />
        </div>
        <BrowseBucketPicker />
        <Breadcrumbs />
      </div>
      <div className="toolbar browse-actions">
        <div className="browse-filter" role="group" aria-label="Filter">
          <select
            className="input select"
            aria-label="Filter mode"
            value={filter.mode}
            disabled={!location}
            onChange={(event) =>
              controller.browse.setFilterMode(event.target.value as 'starts' | 'contains')
            }
          >
            <option value="contains">Name contains</option>
            <option value="starts">Name starts with</option>
          </select>
          <input
            className="input"
            type="search"
            aria-label="Filter by name"
            placeholder="Filter"
            value={filter.text}
            disabled={!location}
            data-testid="browse-filter"
            onChange={(event) => controller.browse.setFilterText(event.target.value)}
          />
        </div>
        <div className="browse-layout" role="group" aria-label="Layout">
          <button
            type="button"
            className="button button-icon"
            aria-pressed={layout === 'list'}
            aria-label="List view"
            title="List view"
            data-testid="browse-layout-list"
            onClick={() => setLayout('list')}
          >
            <Icon name="list" />
          </button>
          <button
            type="button"
            className="button button-icon"
            aria-pressed={layout === 'grid'}
            aria-label="Grid view"
            title="Grid view"
            data-testid="browse-layout-grid"
            onClick={() => setLayout('grid')}
          >
            <Icon name="grid" />
          </button>
        </div>
        {layout === 'grid' && (
          <select
            className="input select browse-sort"
            aria-label="Sort by"
            value={`${sort.column}:${sort.descending ? 'desc' : 'asc'}`}
            onChange={(event) => {
              const [column, direction] = event.target.value.split(':');
              setSort(column as 'name' | 'size' | 'date', direction === 'desc');
            }}
          >
            <option value="name:asc">Name A→Z</option>
            <option value="name:desc">Name Z→A</option>
            <option value="size:desc">Largest first</option>
            <option value="size:asc">Smallest first</option>
            <option value="date:desc">Newest first</option>
            <option value="date:asc">Oldest first</option>
          </select>
        )}
        <div className="toolbar-spacer" />
        <div className="toolbar-actions">
          <button
            type="button"
            className="button"
            data-testid="browse-new-folder"
            disabled={!location}
            onClick={() => setDialog('new-folder')}
          >
            <Icon name="plus" /> New folder
          </button>
          <button
            type="button"
            className="button"
            data-testid="browse-copy-link"
            disabled={!single}
            onClick={() => setDialog('link')}
          >
            <Icon name="link" /> Copy link
          </button>
          {extensions.onDownload && !archived && (
            <button
              type="button"
              className="button"
              data-testid="browse-download"
              disabled={selected.size === 0}
              onClick={() =>
                extensions.onDownload?.({ bucket, keys: selectedKeys, prefixes: selectedPrefixes })
              }
            >
              Download
            </button>
          )}
          {extensions.onRequestRestore && archived && single && (
            <button
              type="button"
              className="button"
              data-testid="browse-request-restore"
              onClick={() => extensions.onRequestRestore?.({ bucket, key: single.key })}
            >
              <Icon name="archive" /> Request restore
            </button>
          )}
          {extensions.onShowVersions && (
            <button
              type="button"
              className="button"
              data-testid="browse-versions"
              disabled={!single}
              onClick={() => single && extensions.onShowVersions?.({ bucket, key: single.key })}
            >
              Versions
            </button>
          )}
          {extensions.onOpenLifecycle && (
            <button
              type="button"
              className="button"
              data-testid="browse-lifecycle"
              disabled={!location}
              onClick={() => extensions.onOpenLifecycle?.(bucket)}
            >
              Lifecycle
            </button>
          )}
          {extensions.renderDeletedFiles && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={showDeleted}
                data-testid="browse-show-deleted"
                onChange={(event) => onShowDeletedChange(event.target.checked)}
              />
              Show deleted files
            </label>
          )}
          <button
            type="button"
            className="button button-danger"
            data-testid="browse-delete"
            disabled={selected.size === 0}
            onClick={() => setDialog('delete')}
          >
            <Icon name="remove" /> Delete
          </button>
        </div>
      </div>
    </div>
  );
}
