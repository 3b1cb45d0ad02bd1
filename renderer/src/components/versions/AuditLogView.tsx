import { useCallback, useEffect, useState } from 'react';
import type { AuditEntryView, AuditExportFormat } from '../../../../preload/contract';
import { useController } from '../../context';
import { formatMoment, shortVersionId } from '../../versionFormat';

/** Every restore, undelete and delete recorded on this computer, newest first. */
export function AuditLogView() {
  const { versions } = useController();
  const [entries, setEntries] = useState<AuditEntryView[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(async () => {
    const result = await versions.auditLog();
    if (result.ok) setEntries(result.value);
    else setMessage({ ok: false, text: result.error });
  }, [versions]);

  useEffect(() => {
    void load();
  }, [load]);

  const exportAs = async (format: AuditExportFormat) => {
    const result = await versions.exportAuditLog(format);
    if (!result.ok) setMessage({ ok: false, text: result.error });
    else if (result.value.savedTo) {
      setMessage({ ok: true, text: `Saved the audit log to ${result.value.savedTo}.` });
    }
  };

  return (
    <section className="audit-log" data-testid="audit-log" aria-label="Audit log">
      <header className="versions-header">
        <h2 className="versions-title">Audit log</h2>
        <div className="deleted-actions">
          <button type="button" className="button button-small" onClick={() => void load()}>
            Refresh
          </button>
          <button
            type="button"
            className="button button-small"
            data-testid="audit-export-csv"
            onClick={() => void exportAs('csv')}
          >
            Export CSV…
          </button>
          <button
            type="button"
            className="button button-small"
            data-testid="audit-export-json"
            onClick={() => void exportAs('json')}
          >
            Export JSON…
          </button>
        </div>
      </header>
      {message && (
        <p className={`callout ${message.ok ? 'callout-success' : 'callout-error'}`} role="status">
          {message.text}
        </p>
      )}
      {entries && entries.length === 0 && (
        <p className="muted">No restores, undeletes or deletions recorded yet.</p>
      )}
      {entries && entries.length > 0 && (
        <table className="versions-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Operation</th>
              <th scope="col">Profile</th>
              <th scope="col">Bucket</th>
              <th scope="col">Key</th>
              <th scope="col">From version</th>
              <th scope="col">To version</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, index) => (
              <tr
                key={`${entry.time}-${index}`}
                data-testid="audit-row"
                data-operation={entry.operation}
                data-key={entry.key}
                title={entry.detail}
              >
                <td>{formatMoment(entry.time)}</td>
                <td>{entry.operation}</td>
                <td>{entry.profile}</td>
                <td>{entry.bucket}</td>
                <td className="input-mono">{entry.key}</td>
                <td title={entry.fromVersion}>
                  {entry.fromVersion ? shortVersionId(entry.fromVersion) : '—'}
                </td>
                <td title={entry.toVersion}>
                  {entry.toVersion ? shortVersionId(entry.toVersion) : '—'}
                </td>
                <td className={entry.result === 'ok' ? '' : 'tone-text-failed'}>
                  {entry.result}
                  {entry.detail && <span className="muted audit-detail"> · {entry.detail}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
