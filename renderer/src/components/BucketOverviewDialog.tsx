import { useEffect, useState } from 'react';
import type { BucketOverview, OverviewItem } from '../../../preload/contract';
import { useApp, useController } from '../context';
import { Dialog } from './Dialog';

const ROWS: readonly { key: keyof Omit<BucketOverview, 'bucket'>; label: string }[] = [
  { key: 'region', label: 'Region' },
  { key: 'versioning', label: 'Versioning' },
  { key: 'publicAccessBlock', label: 'Block Public Access' },
  { key: 'encryption', label: 'Default encryption' },
  { key: 'lifecycle', label: 'Lifecycle rules' },
];

function Item({ item }: { item: OverviewItem }) {
  if (!item.known) return <span className="muted">unknown ({item.reason})</span>;
  return (
    <>
      {item.value}
      {item.details && item.details.length > 0 && (
        <ul>
          {item.details.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The destination bucket's settings; each one the identity may not read says so. */
export function BucketOverviewDialog() {
  const controller = useController();
  const bucket = useApp((s) => s.destination.bucket.trim());
  const [overview, setOverview] = useState<BucketOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void controller.bucketOverview(bucket).then((result) => {
      if (!current) return;
      if (result.ok) setOverview(result.value);
      else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, [controller, bucket]);
  return (
    <Dialog
      title="Bucket overview"
      subtitle={<code>{bucket}</code>}
      testId="bucket-overview"
      onClose={() => controller.closeBucketDialog()}
      footer={
        <>
          <span className="footer-spacer" />
          <button type="button" className="button" onClick={() => controller.closeBucketDialog()}>
            Close
          </button>
        </>
      }
    >
      {!overview && !error && (
        <p className="muted" role="status">
          Reading the bucket's settings…
        </p>
      )}
      {error && (
        <p className="callout callout-error" role="alert">
          {error}
        </p>
      )}
      {overview && (
        <dl className="overview-list" data-testid="bucket-overview-list">
          {ROWS.map((row) => (
            <div key={row.key} data-testid={`overview-${row.key}`}>
              <dt>{row.label}</dt>
              <dd>
                <Item item={overview[row.key]} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Dialog>
  );
}
