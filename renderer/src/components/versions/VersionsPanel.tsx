import { useState } from 'react';
import type { ObjectVersionView } from '../../../../preload/contract';
import { useController } from '../../context';
import { formatBytes } from '../../format';
import { formatMoment, shortVersionId } from '../../versionFormat';
import { ConfirmDialog } from './ConfirmDialog';
import { useVersionHistory } from './useVersionHistory';
import { VersioningStatusBar } from './VersioningStatusBar';
import { VersionLinkBox } from './VersionLinkBox';
import { VersionPreviewBox } from './VersionPreviewBox';

type Outcome = { ok: boolean; message: string };

/** Enough of the ETag to tell versions apart at a glance; the title holds the whole. */
function shortEtag(etag: string): string {
  const bare = etag.replaceAll('"', '');
  return bare.length > 12 ? `${bare.slice(0, 10)}…` : bare;
}

interface VersionRowProps {
  version: ObjectVersionView;
  bucket: string;
  onRestore(version: ObjectVersionView): void;
  onDownload(version: ObjectVersionView): void;
  onDelete(version: ObjectVersionView): void;
}

function VersionRow({ version, bucket, onRestore, onDownload, onDelete }: VersionRowProps) {
  const [open, setOpen] = useState(false);
  const ref = { bucket, key: version.key, versionId: version.versionId };
  const label = version.isDeleteMarker ? 'delete marker' : `version ${version.versionId}`;
  return (
    <>
      <tr
        className={version.isDeleteMarker ? 'version-row version-marker' : 'version-row'}
        data-testid="version-row"
        data-version-id={version.versionId}
        data-latest={version.isLatest}
        data-delete-marker={version.isDeleteMarker}
      >
        <td className="version-id" title={version.versionId}>
          {shortVersionId(version.versionId)}
          {version.isLatest && <span className="badge badge-active">latest</span>}
          {version.isDeleteMarker && <span className="badge badge-deleted">deleted</span>}
        </td>
        <td>{formatMoment(version.lastModified)}</td>
        <td>{version.isDeleteMarker ? '—' : formatBytes(version.size ?? 0)}</td>
        <td className="version-etag" title={version.etag}>
          {version.etag ? shortEtag(version.etag) : '—'}
        </td>
        <td>{version.storageClass ?? '—'}</td>
        <td>
          <div className="version-actions">
            {!version.isDeleteMarker && (
              <button
                type="button"
                className="button button-small"
                aria-expanded={open}
                aria-label={`Preview and link for ${label}`}
                onClick={() => setOpen(!open)}
              >
                {open ? 'Hide' : 'Preview & link'}
              </button>
            )}
            {!version.isDeleteMarker && (
              <button
                type="button"
                className="button button-small"
                data-testid="download-version"
                aria-label={`Download ${label}`}
                onClick={() => onDownload(version)}
              >
                Download
              </button>
            )}
            {!version.isDeleteMarker && !version.isLatest && (
              <button
                type="button"
                className="button button-small"
                data-testid="restore-version"
                aria-label={`Restore ${label}`}
                onClick={() => onRestore(version)}
              >
                Restore this version
              </button>
            )}
            <button
              type="button"
              className="button button-small button-ghost version-delete"
              aria-label={`Delete ${label} permanently`}
              onClick={() => onDelete(version)}
            >
              Delete permanently…
            </button>
          </div>
        </td>
      </tr>
      {open && (
        <tr className="version-details">
          <td colSpan={6}>
            <VersionPreviewBox version={ref} />
            <VersionLinkBox version={ref} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Every version and delete marker of one object, newest first, with restore and undelete. */
export function VersionsPanel({ bucket, objectKey }: { bucket: string; objectKey: string }) {
  const { versions: api } = useController();
  const history = useVersionHistory(bucket, objectKey);
  const [restoring, setRestoring] = useState<ObjectVersionView | null>(null);
  const [deleting, setDeleting] = useState<ObjectVersionView | null>(null);
  const [typedKey, setTypedKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const latest = history.versions[0];
  const isDeleted = latest?.isLatest === true && latest.isDeleteMarker;

  const finish = (result: Outcome) => {
    setBusy(false);
    setRestoring(null);
    setDeleting(null);
    setTypedKey('');
    setOutcome(result);
    history.reload();
  };

  const restore = async (version: ObjectVersionView) => {
    setBusy(true);
    const result = await api.restoreVersion({
      bucket,
      key: objectKey,
      versionId: version.versionId,
    });
    finish(
      result.ok
        ? {
            ok: true,
            message: `Restored version ${version.versionId}: its copy is now the latest version${
              result.value.newVersionId ? ` (${result.value.newVersionId})` : ''
            }. Nothing was deleted.`,
          }
        : { ok: false, message: result.error },
    );
  };

  const deletePermanently = async (version: ObjectVersionView) => {
    setBusy(true);
    const result = await api.deleteVersionPermanently(
      { bucket, key: objectKey, versionId: version.versionId },
      typedKey,
    );
    finish(
      result.ok
        ? { ok: true, message: `Deleted version ${version.versionId} of ${objectKey} for good.` }
        : { ok: false, message: result.error },
    );
  };

  // Main asks for the folder with its own dialog; the download runs in the shared queue.
  const download = async (version: ObjectVersionView) => {
    const result = await api.downloadObjects({
      bucket,
      keys: [],
      prefixes: [],
      versions: [{ key: objectKey, versionId: version.versionId }],
    });
    if (result.ok && result.value === null) return;
    setOutcome(
      result.ok
        ? {
            ok: true,
            message: `Downloading version ${version.versionId} of ${objectKey}: follow it in the Uploads queue.`,
          }
        : { ok: false, message: result.error },
    );
  };

  const undelete = async () => {
    setBusy(true);
    const result = await api.undeleteKeys(bucket, [objectKey]);
    const answer = result.ok ? result.value[0] : undefined;
    finish(
      answer
        ? { ok: answer.ok, message: answer.detail }
        : { ok: false, message: result.ok ? `${objectKey} was not undeleted.` : result.error },
    );
  };

  return (
    <section className="versions-panel" data-testid="versions-panel" aria-label="Versions">
      <header className="versions-header">
        <h2 className="versions-title">
          Versions of <span className="input-mono">{objectKey}</span>
        </h2>
        <VersioningStatusBar bucket={bucket} />
      </header>
      {isDeleted && (
        <div className="callout callout-warning versions-deleted">
          <span>{objectKey} is deleted: its latest version is a delete marker.</span>
          <button
            type="button"
            className="button button-small button-primary"
            data-testid="undelete-key"
            disabled={busy}
            onClick={() => void undelete()}
          >
            Undelete
          </button>
        </div>
      )}
      {outcome && (
        <p
          className={`callout ${outcome.ok ? 'callout-success' : 'callout-error'}`}
          role="status"
          data-testid="versions-outcome"
        >
          {outcome.message}
        </p>
      )}
      {history.error && (
        <p className="callout callout-error" role="alert">
          {history.error}
        </p>
      )}
      <div className="versions-scroll">
        <table className="versions-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Last modified</th>
              <th scope="col">Size</th>
              <th scope="col">ETag</th>
              <th scope="col">Storage class</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {history.versions.map((version) => (
              <VersionRow
                key={version.versionId}
                version={version}
                bucket={bucket}
                onRestore={setRestoring}
                onDownload={(chosen) => void download(chosen)}
                onDelete={setDeleting}
              />
            ))}
          </tbody>
        </table>
      </div>
      {!history.loading && !history.error && history.versions.length === 0 && (
        <p className="muted">
          No versions of {objectKey} in {bucket}.
        </p>
      )}
      {history.loading && <p className="muted">Loading versions…</p>}
      {history.hasMore && !history.loading && (
        <button
          type="button"
          className="button"
          data-testid="load-more-versions"
          onClick={history.loadMore}
        >
          Load more
        </button>
      )}
      {restoring && (
        <ConfirmDialog
          title="Restore this version?"
          confirmLabel="Restore"
          testId="restore-dialog"
          busy={busy}
          onConfirm={() => void restore(restoring)}
          onClose={() => setRestoring(null)}
        >
          <p>
            The store copies version <code>{restoring.versionId}</code> of <code>{objectKey}</code>{' '}
            on top of the object, inside {bucket}. The copy becomes a new latest version, with the
            same content type and metadata.
          </p>
          <p>
            Nothing is deleted (the current version stays in the history) and nothing is downloaded.
          </p>
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete this version permanently?"
          confirmLabel="Delete permanently"
          danger
          testId="permanent-delete-dialog"
          busy={busy}
          canConfirm={typedKey === objectKey}
          onConfirm={() => void deletePermanently(deleting)}
          onClose={() => {
            setDeleting(null);
            setTypedKey('');
          }}
        >
          <p className="callout callout-error">
            This cannot be undone. {deleting.isDeleteMarker ? 'The delete marker' : 'Version'}{' '}
            <code>{deleting.versionId}</code> of <code>{objectKey}</code> will be destroyed and no
            restore can bring it back.
          </p>
          <label className="form-field">
            <span className="form-label">
              Type the key name <code>{objectKey}</code> to confirm
            </span>
            <input
              className="input input-mono"
              data-autofocus
              value={typedKey}
              onChange={(event) => setTypedKey(event.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
        </ConfirmDialog>
      )}
    </section>
  );
}
