import { useCallback, useEffect, useState } from 'react';
import type {
  DeletedKeyView,
  UndeleteKeyResult,
  VersionCursorView,
} from '../../../../preload/contract';
import { useController } from '../../context';
import { plural } from '../../format';
import type { VersionsController } from '../../versionsController';
import { formatMoment } from '../../versionFormat';
import { usePagedList } from './usePagedList';

/** Keys per undelete request: small enough for steady progress, large enough to be quick. */
const UNDELETE_BATCH = 10;

async function everyDeletedKey(
  api: VersionsController,
  bucket: string,
  prefix: string,
): Promise<{ keys: string[] } | { error: string }> {
  const keys: string[] = [];
  let cursor: VersionCursorView | undefined;
  do {
    const page = await api.listDeletedKeys({ bucket, prefix, ...(cursor && { cursor }) });
    if (!page.ok) return { error: page.error };
    keys.push(...page.value.keys.map((entry) => entry.key));
    cursor = page.value.next;
  } while (cursor);
  return { keys };
}

/** Deleted keys under a prefix (latest version is a delete marker), with bulk undelete. */
export function DeletedFilesList({ bucket, prefix }: { bucket: string; prefix: string }) {
  const { versions: api } = useController();
  const fetchPage = useCallback(
    async (cursor: VersionCursorView | undefined) => {
      const page = await api.listDeletedKeys({ bucket, prefix, ...(cursor && { cursor }) });
      return page.ok
        ? { ok: true as const, value: { items: page.value.keys, next: page.value.next } }
        : page;
    },
    [api, bucket, prefix],
  );
  const list = usePagedList<DeletedKeyView>(fetchPage);
  const keys = list.items;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<UndeleteKeyResult[]>([]);
  const [listingError, setListingError] = useState<string | null>(null);
  const error = list.error ?? listingError;

  useEffect(() => {
    setSelected(new Set());
    setResults([]);
    setListingError(null);
  }, [fetchPage]);

  const undelete = async (targets: string[]) => {
    setResults([]);
    setProgress({ done: 0, total: targets.length });
    const all: UndeleteKeyResult[] = [];
    for (let start = 0; start < targets.length; start += UNDELETE_BATCH) {
      const batch = targets.slice(start, start + UNDELETE_BATCH);
      const answer = await api.undeleteKeys(bucket, batch);
      all.push(
        ...(answer.ok
          ? answer.value
          : batch.map((key) => ({ key, ok: false, detail: answer.error }))),
      );
      setProgress({ done: Math.min(targets.length, start + batch.length), total: targets.length });
      setResults([...all]);
    }
    setProgress(null);
    setSelected(new Set());
    list.reload();
  };

  const undeleteWholePrefix = async () => {
    setProgress({ done: 0, total: 0 });
    const listed = await everyDeletedKey(api, bucket, prefix);
    if ('error' in listed) {
      setProgress(null);
      setListingError(listed.error);
      return;
    }
    await undelete(listed.keys);
  };

  const toggle = (key: string) => {
    const copy = new Set(selected);
    if (copy.has(key)) copy.delete(key);
    else copy.add(key);
    setSelected(copy);
  };
  const allShown = keys.length > 0 && keys.every((entry) => selected.has(entry.key));
  const working = progress !== null;
  const failed = results.filter((result) => !result.ok).length;

  return (
    <section className="deleted-files" data-testid="deleted-files" aria-label="Deleted files">
      <header className="versions-header">
        <h2 className="versions-title">
          Deleted files under{' '}
          <span className="input-mono">{prefix || `${bucket} (whole bucket)`}</span>
        </h2>
        <div className="deleted-actions">
          <button
            type="button"
            className="button button-small button-primary"
            data-testid="undelete-selected"
            disabled={working || selected.size === 0}
            onClick={() => void undelete([...selected])}
          >
            Undelete {selected.size > 0 ? plural(selected.size, 'file') : 'selected'}
          </button>
          <button
            type="button"
            className="button button-small"
            data-testid="undelete-prefix"
            disabled={working || keys.length === 0}
            onClick={() => void undeleteWholePrefix()}
          >
            Undelete everything under this prefix
          </button>
        </div>
      </header>
      {progress && (
        <p className="muted" role="status" data-testid="undelete-progress">
          {progress.total === 0
            ? 'Finding the deleted files…'
            : `Undeleting: ${progress.done} of ${plural(progress.total, 'file')}…`}
        </p>
      )}
      {results.length > 0 && !working && (
        <div
          className={`callout ${failed > 0 ? 'callout-error' : 'callout-success'}`}
          role="status"
          data-testid="undelete-results"
        >
          <p>
            {plural(results.length - failed, 'file')} undeleted
            {failed > 0 ? `, ${failed} failed` : ''}.
          </p>
          <ul className="undelete-results">
            {results.map((result) => (
              <li key={result.key} data-ok={result.ok}>
                <code>{result.key}</code>: {result.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="callout callout-error" role="alert">
          {error}
        </p>
      )}
      {keys.length > 0 && (
        <table className="versions-table">
          <thead>
            <tr>
              <th scope="col" className="select-column">
                <input
                  type="checkbox"
                  aria-label="Select every deleted file shown"
                  checked={allShown}
                  onChange={() =>
                    setSelected(allShown ? new Set() : new Set(keys.map((entry) => entry.key)))
                  }
                />
              </th>
              <th scope="col">Key</th>
              <th scope="col">Deleted</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((entry) => (
              <tr key={entry.key} data-testid="deleted-row" data-key={entry.key}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${entry.key}`}
                    checked={selected.has(entry.key)}
                    onChange={() => toggle(entry.key)}
                  />
                </td>
                <td className="input-mono">{entry.key}</td>
                <td>{formatMoment(entry.deletedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!list.loading && !error && keys.length === 0 && (
        <p className="muted" data-testid="no-deleted-files">
          {list.hasMore
            ? `No deleted files found yet under ${prefix || 'this bucket'}: there is more to look through.`
            : `No deleted files under ${prefix || 'this bucket'}.`}
        </p>
      )}
      {list.loading && <p className="muted">Looking for deleted files…</p>}
      {list.hasMore && !list.loading && (
        <button type="button" className="button" onClick={list.loadMore}>
          Load more
        </button>
      )}
    </section>
  );
}
