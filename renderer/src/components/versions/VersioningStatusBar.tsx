import { useEffect, useState } from 'react';
import type { VersioningStatus } from '../../../../preload/contract';
import { useController } from '../../context';
import { ConfirmDialog } from './ConfirmDialog';

const LABELS: Record<VersioningStatus, string> = {
  Enabled: 'Versioning is on',
  Suspended: 'Versioning is suspended: new changes replace the old bytes',
  Unversioned: 'Versioning was never turned on: overwrites and deletes are final',
};

/** The bucket's versioning status, with the offer to turn it on and what that costs. */
export function VersioningStatusBar({ bucket }: { bucket: string }) {
  const { versions } = useController();
  const [status, setStatus] = useState<VersioningStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    setStatus(null);
    setError(null);
    void versions.versioningStatus(bucket).then((result) => {
      if (!current) return;
      if (result.ok) setStatus(result.value);
      else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, [bucket, versions]);

  const enable = async () => {
    setBusy(true);
    const result = await versions.enableVersioning(bucket);
    setBusy(false);
    setConfirming(false);
    if (result.ok) setStatus(result.value);
    else setError(result.error);
  };

  return (
    <div className="versioning-status" data-testid="versioning-status" data-status={status ?? ''}>
      {error && (
        <p className="callout callout-error" role="alert">
          {error}
        </p>
      )}
      {status && (
        <span className={`pill versioning-${status.toLowerCase()}`}>
          {bucket}: {LABELS[status]}
        </span>
      )}
      {status && status !== 'Enabled' && (
        <button
          type="button"
          className="button button-small"
          data-testid="enable-versioning"
          onClick={() => setConfirming(true)}
        >
          Enable versioning…
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Enable versioning on ${bucket}?`}
          confirmLabel="Enable versioning"
          testId="enable-versioning-dialog"
          busy={busy}
          onConfirm={() => void enable()}
          onClose={() => setConfirming(false)}
        >
          <p>
            From now on every overwrite and every delete keeps the old bytes as an earlier version,
            so anything can be brought back.
          </p>
          <p>
            Those old versions are billed as storage like any object. Lifecycle rules on the bucket
            can expire noncurrent versions after a number of days to bound the cost.
          </p>
          <p className="muted">
            Versioning can later be suspended, but never removed from a bucket.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
