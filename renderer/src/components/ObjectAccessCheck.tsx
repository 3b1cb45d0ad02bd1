import { useState } from 'react';
import type { ObjectAccessReport } from '../../../preload/contract';
import { useController } from '../context';

/**
 * "Is this object public?" for one object: a plain answer and the reasoning, asked only when
 * the user presses the button (it costs three requests). Self-contained, for any details pane;
 * the prop is objectKey because React reserves `key`.
 */
export function ObjectAccessCheck({ bucket, objectKey }: { bucket: string; objectKey: string }) {
  const controller = useController();
  const [report, setReport] = useState<ObjectAccessReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    const result = await controller.objectAccess(bucket, objectKey);
    setBusy(false);
    if (result.ok) setReport(result.value);
    else setError(result.error);
  };
  return (
    <div className="access-check" data-testid="object-access-check">
      <div>
        <button
          type="button"
          className="button button-small"
          disabled={busy}
          data-testid="object-access-run"
          onClick={() => void run()}
        >
          {busy ? 'Checking…' : 'Is this object public?'}
        </button>
      </div>
      <div aria-live="polite">
        {error && <p className="field-error">{error}</p>}
        {report && (
          <>
            <p data-testid="object-access-summary">
              <strong>{report.summary}</strong>
            </p>
            <ul>
              {report.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
