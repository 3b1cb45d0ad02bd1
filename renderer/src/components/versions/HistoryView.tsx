import { useState, type FormEvent } from 'react';
import { useApp } from '../../context';
import { TabList } from '../TabList';
import { isPrefix, parseHistoryTarget } from '../../historyTarget';
import { AuditLogView } from './AuditLogView';
import { DeletedFilesList } from './DeletedFilesList';
import { PointInTimeDialog } from './PointInTimeDialog';
import { VersioningStatusBar } from './VersioningStatusBar';
import { VersionsPanel } from './VersionsPanel';

type Section = 'lookup' | 'audit';

const SECTIONS: { value: Section; label: string; testId: string }[] = [
  { value: 'lookup', label: 'Versions & deleted files', testId: 'history-lookup-tab' },
  { value: 'audit', label: 'Audit log', testId: 'history-audit-tab' },
];

/**
 * For support staff arriving with a key or URL from a ticket: an object's versions, or the
 * deleted files under a prefix and its point-in-time restore, and the audit log.
 */
export function HistoryView() {
  const target = useApp((s) => s.history);
  const setTarget = useApp((s) => s.setHistoryTarget);
  const buckets = useApp((s) => s.buckets);
  const defaultBucket = useApp((s) => s.destination.bucket);
  const [bucket, setBucket] = useState(target.bucket || defaultBucket);
  const [path, setPath] = useState(target.path);
  const [section, setSection] = useState<Section>('lookup');
  const [pointInTime, setPointInTime] = useState(false);
  // Counts "Show" presses: showing the same key again reloads it from the store.
  const [shows, setShows] = useState(0);

  const show = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseHistoryTarget(path);
    const chosenBucket = (parsed.bucket ?? bucket).trim();
    setBucket(chosenBucket);
    setPath(parsed.path);
    setTarget({ bucket: chosenBucket, path: parsed.path });
    setSection('lookup');
    setShows(shows + 1);
  };

  const shown = target.bucket !== '';
  return (
    <main className="history" data-testid="history-view">
      <form className="history-form" onSubmit={show}>
        <label className="field field-bucket">
          <span className="field-label">Bucket</span>
          <input
            className="input"
            list="history-buckets"
            data-testid="history-bucket"
            value={bucket}
            onChange={(event) => setBucket(event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
          <datalist id="history-buckets">
            {(buckets ?? []).map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </label>
        <label className="field history-path">
          <span className="field-label">Key, prefix ending in “/”, or s3:// or https:// URL</span>
          <input
            className="input input-mono"
            data-testid="history-path"
            value={path}
            onChange={(event) => setPath(event.target.value)}
            placeholder="clients/acme/hero.jpg"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button
          type="submit"
          className="button button-primary"
          data-testid="history-show"
          disabled={bucket.trim() === '' && !/^(s3|https?):\/\//i.test(path.trim())}
        >
          Show
        </button>
      </form>
      <TabList<Section>
        label="History sections"
        className="tab-list history-sections"
        tabs={SECTIONS}
        selected={section}
        onSelect={setSection}
      />
      <div className="history-body">
        {section === 'audit' && <AuditLogView />}
        {section === 'lookup' && !shown && (
          <p className="muted">
            Choose a bucket and type a key to see its versions, or a prefix ending in “/” to see the
            files deleted under it.
          </p>
        )}
        {section === 'lookup' && shown && !isPrefix(target.path) && (
          <VersionsPanel
            key={`${shows}:${target.bucket}/${target.path}`}
            bucket={target.bucket}
            objectKey={target.path}
          />
        )}
        {section === 'lookup' && shown && isPrefix(target.path) && (
          <>
            <div className="history-prefix-bar">
              <VersioningStatusBar bucket={target.bucket} />
              <button
                type="button"
                className="button"
                data-testid="open-point-in-time"
                onClick={() => setPointInTime(true)}
              >
                Restore prefix to a point in time…
              </button>
            </div>
            <DeletedFilesList
              key={`${shows}:${target.bucket}/${target.path}`}
              bucket={target.bucket}
              prefix={target.path}
            />
          </>
        )}
      </div>
      {pointInTime && (
        <PointInTimeDialog
          bucket={target.bucket}
          prefix={target.path}
          onClose={() => setPointInTime(false)}
        />
      )}
    </main>
  );
}
