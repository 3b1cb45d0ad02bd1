import { useEffect, useState } from 'react';
import type { DeleteReport, ShareLinks } from '../../../preload/contract';
import { useApp, useController } from '../context';
import { EXPIRY_PRESETS, formatDate, formatTime } from '../browseFormat';
import { Dialog } from './Dialog';

function NewFolderDialog({ onClose }: { onClose: () => void }) {
  const controller = useController();
  const location = useApp((s) => s.browseLocation);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    const failure = await controller.browse.createFolder(name);
    setBusy(false);
    if (failure) setError(failure);
    else onClose();
  };
  return (
    <Dialog
      title="New folder"
      subtitle={location ? `In s3://${location.bucket}/${location.prefix}` : undefined}
      onClose={onClose}
      testId="new-folder-dialog"
      initialFocus={['input']}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="new-folder-form"
            className="button button-primary"
            disabled={busy}
            data-testid="new-folder-create"
          >
            Create folder
          </button>
        </>
      }
    >
      <form
        id="new-folder-form"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <label className="field">
          <span className="field-label">Name</span>
          <input
            className="input"
            value={name}
            aria-invalid={error !== null}
            aria-describedby="new-folder-error"
            data-testid="new-folder-name"
            onChange={(event) => {
              setName(event.target.value);
              setError(null);
            }}
          />
        </label>
        {error && (
          <p className="field-error" id="new-folder-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}

function DeleteDialog({ onClose }: { onClose: () => void }) {
  const controller = useController();
  const selected = useApp((s) => s.browseSelected);
  const versioning = useApp((s) => s.listing?.versioning ?? 'unknown');
  const [ids] = useState(() => [...selected]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<DeleteReport | null>(null);
  const keys = ids.filter((id) => !id.endsWith('/'));
  const prefixes = ids.filter((id) => id.endsWith('/'));
  const versioned = versioning === 'Enabled' || versioning === 'Suspended';
  const remove = async () => {
    setBusy(true);
    const result = await controller.browse.deleteSelection(keys, prefixes);
    setBusy(false);
    if (!result.ok) setError(result.error);
    else if (result.value.failures.length > 0) setReport(result.value);
    else onClose();
  };
  const what = [
    keys.length ? `${keys.length} file${keys.length === 1 ? '' : 's'}` : '',
    prefixes.length
      ? `${prefixes.length} folder${prefixes.length === 1 ? '' : 's'} with everything in them`
      : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return (
    <Dialog
      title={`Delete ${what}?`}
      onClose={onClose}
      testId="delete-dialog"
      initialFocus={['[data-testid="delete-cancel"]']}
      footer={
        report ? (
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        ) : (
          <>
            <button type="button" className="button" data-testid="delete-cancel" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              data-testid="delete-confirm"
              onClick={() => void remove()}
            >
              {busy ? 'Deleting…' : 'Delete'}
            </button>
          </>
        )
      }
    >
      <ul className="delete-names">
        {ids.slice(0, 8).map((id) => (
          <li key={id} className="mono">
            {id}
          </li>
        ))}
        {ids.length > 8 && <li>and {ids.length - 8} more</li>}
      </ul>
      <p data-testid="delete-explanation">
        {versioned
          ? 'This bucket keeps versions: deleting adds a delete marker, and the files stay as older versions. The versions panel can undo it by removing the marker.'
          : versioning === 'Off'
            ? 'This bucket does not keep versions: deleted files cannot be recovered.'
            : 'Whether this bucket keeps versions is unknown: deleted files may not be recoverable.'}
      </p>
      {error && (
        <p className="field-error" role="alert">
          Nothing was deleted: {error}
        </p>
      )}
      {report && (
        <div className="callout callout-error" role="alert" data-testid="delete-failures">
          {report.deleted} deleted; {report.failures.length} could not be:
          <ul>
            {report.failures.slice(0, 20).map((failure) => (
              <li key={failure.key}>
                <span className="mono">{failure.key}</span>: {failure.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Dialog>
  );
}

type LinkKind = 'presigned' | 'virtualHosted' | 'pathStyle' | 'cloudFront';

function LinkDialog({ onClose }: { onClose: () => void }) {
  const controller = useController();
  const bucket = useApp((s) => s.browseLocation?.bucket ?? '');
  const key = useApp((s) => [...s.browseSelected][0] ?? '');
  const [kind, setKind] = useState<LinkKind>('presigned');
  const [expiry, setExpiry] = useState(3600);
  const [links, setLinks] = useState<ShareLinks | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    let current = true;
    setLinks(null);
    setCopied(false);
    void controller.browse.shareLinks(bucket, key, expiry).then((result) => {
      if (!current) return;
      if (result.ok) setLinks(result.value);
      else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, [controller, bucket, key, expiry]);

  const url =
    links === null
      ? ''
      : kind === 'presigned'
        ? links.presigned.url
        : kind === 'cloudFront'
          ? (links.cloudFront ?? '')
          : links[kind];
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch (failure) {
      setError(`The link could not be copied to the clipboard: ${(failure as Error).message}`);
    }
  };

  return (
    <Dialog
      title="Copy link"
      subtitle={<span className="mono">{key}</span>}
      onClose={onClose}
      testId="link-dialog"
      initialFocus={['[data-testid="link-copy"]']}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!url}
            data-testid="link-copy"
            onClick={() => void copy()}
          >
            {copied ? 'Copied' : 'Copy to clipboard'}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">Kind of link</span>
        <select
          className="input select"
          value={kind}
          data-testid="link-kind"
          onChange={(event) => {
            setKind(event.target.value as LinkKind);
            setCopied(false);
          }}
        >
          <option value="presigned">Presigned: works for anyone until it expires</option>
          <option value="virtualHosted">S3 URL (virtual-hosted): needs a public object</option>
          <option value="pathStyle">S3 URL (path-style): needs a public object</option>
          {links?.cloudFront && <option value="cloudFront">CloudFront URL</option>}
        </select>
      </label>
      {kind === 'presigned' && (
        <label className="field">
          <span className="field-label">Expires after</span>
          <select
            className="input select"
            value={expiry}
            data-testid="link-expiry"
            onChange={(event) => setExpiry(Number(event.target.value))}
          >
            {EXPIRY_PRESETS.map((preset) => (
              <option key={preset.seconds} value={preset.seconds}>
                {preset.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span className="field-label">Link</span>
        <textarea
          className="input input-mono link-url"
          readOnly
          rows={4}
          value={links ? url : 'Making the link…'}
          data-testid="link-url"
          onFocus={(event) => event.target.select()}
        />
      </label>
      {kind === 'presigned' && links && (
        <p data-testid="link-expires">
          Stops working at {formatDate(links.presigned.expiresAt)}.
          {links.presigned.limitedBy && (
            <span className="link-note" data-testid="link-note">
              {' '}
              {links.presigned.limitedBy === 'session-expiry'
                ? `This link stops working at ${formatTime(links.presigned.expiresAt)}, when the session credentials that signed it expire.`
                : 'Session credentials signed it: it stops working when their session ends, which may be sooner.'}
            </span>
          )}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

/** The browser's dialogs, outside the page so the page can go inert behind them. */
export function BrowseDialogs() {
  const dialog = useApp((s) => s.browseDialog);
  const setDialog = useApp((s) => s.setBrowseDialog);
  const close = () => setDialog(null);
  if (dialog === 'new-folder') return <NewFolderDialog onClose={close} />;
  if (dialog === 'delete') return <DeleteDialog onClose={close} />;
  if (dialog === 'link') return <LinkDialog onClose={close} />;
  return null;
}
