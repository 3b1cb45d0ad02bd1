import type { ReactNode } from 'react';
import type { ObjectDetails } from '../../../preload/contract';
import { useApp } from '../context';
import { formatBytes } from '../format';
import { formatDate } from '../browseFormat';
import type { BrowserExtensions } from './BucketBrowser';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

const VERSIONING_WORDS: Record<ObjectDetails['versioning'], string> = {
  Enabled: 'On: every change keeps the previous version',
  Suspended: 'Suspended: older versions are kept, new changes are not',
  Off: 'Off: a delete or overwrite cannot be undone',
  unknown: 'Unknown (these credentials may not read it)',
};

function archiveWords(details: ObjectDetails): string {
  const { archive } = details;
  if (archive.restore.state === 'ongoing') return 'Restore in progress: not readable yet';
  if (archive.restore.state === 'restored') {
    return archive.restore.until
      ? `Restored copy readable until ${formatDate(archive.restore.until)}`
      : 'Restored copy readable';
  }
  return archive.archived
    ? `Archived in ${details.storageClass}: restore it before it can be opened or downloaded`
    : 'Not archived';
}

function Pairs({ values, empty }: { values: Record<string, string>; empty: string }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <span className="muted">{empty}</span>;
  return (
    <ul className="details-pairs">
      {entries.map(([key, value]) => (
        <li key={key}>
          <span className="mono">{key}</span> = {value}
        </li>
      ))}
    </ul>
  );
}

/** What HEAD, the tags and the bucket's versioning say about the file under the cursor. */
export function DetailsPane({ extensions }: { extensions: BrowserExtensions }) {
  const details = useApp((s) => s.details);
  const bucket = useApp((s) => s.browseLocation?.bucket ?? '');
  if (!details) {
    return (
      <aside className="details-pane details-empty" aria-label="Details">
        <p className="muted">Select a file to see its details.</p>
      </aside>
    );
  }
  const value = details.value;
  return (
    <aside className="details-pane" aria-label="Details" data-testid="details-pane">
      <h2 className="details-title">{details.key.slice(details.key.lastIndexOf('/') + 1)}</h2>
      {details.error && (
        <p className="field-error" role="alert">
          Could not read the details of {details.key}: {details.error}
        </p>
      )}
      {!value && !details.error && <p className="muted">Loading details…</p>}
      {value && (
        <dl className="details-list">
          <Field label="Key">
            <span className="mono">{value.key}</span>
          </Field>
          <Field label="Size">
            <span data-testid="details-size">
              {formatBytes(value.size)} ({value.size.toLocaleString()} bytes)
            </span>
          </Field>
          <Field label="Content type">{value.contentType ?? '—'}</Field>
          <Field label="Last modified">{formatDate(value.lastModified)}</Field>
          <Field label="Storage class">{value.storageClass}</Field>
          <Field label="Archive">
            <span data-testid="details-archive">{archiveWords(value)}</span>
          </Field>
          <Field label="ETag">
            <span className="mono">{value.etag}</span>
          </Field>
          {value.versionId && (
            <Field label="Version">
              <span className="mono">{value.versionId}</span>
            </Field>
          )}
          <Field label="Cache-Control">{value.cacheControl ?? '—'}</Field>
          <Field label="Content-Disposition">{value.contentDisposition ?? '—'}</Field>
          <Field label="Encryption">{value.serverSideEncryption ?? 'None reported'}</Field>
          <Field label="Metadata">
            <Pairs values={value.metadata} empty="None" />
          </Field>
          <Field label="Tags">
            {value.tags.available ? (
              <Pairs values={value.tags.tags} empty="None" />
            ) : (
              <span className="muted">Unavailable: {value.tags.reason}</span>
            )}
          </Field>
          <Field label="Bucket versioning">
            <span data-testid="details-versioning">{VERSIONING_WORDS[value.versioning]}</span>
          </Field>
        </dl>
      )}
      {extensions.renderObjectExtras && (
        <div className="details-extras">{extensions.renderObjectExtras(bucket, details.key)}</div>
      )}
    </aside>
  );
}
