import { useApp, useController } from '../context';
import { BucketOverviewDialog } from './BucketOverviewDialog';
import { NewBucketDialog } from './NewBucketDialog';
import { UploadDefaultsDialog } from './UploadDefaultsDialog';

/** "New bucket…", "Overview…" and "Upload options…" next to the bucket field. */
export function BucketActions() {
  const controller = useController();
  const hasBucket = useApp((s) => s.destination.bucket.trim() !== '');
  return (
    <div className="bucket-actions">
      <button
        type="button"
        className="button button-small"
        data-testid="new-bucket-open"
        onClick={() => controller.openBucketDialog('new-bucket')}
      >
        New bucket…
      </button>
      <button
        type="button"
        className="button button-small"
        data-testid="bucket-overview-open"
        disabled={!hasBucket}
        onClick={() => controller.openBucketDialog('overview')}
      >
        Overview…
      </button>
      <button
        type="button"
        className="button button-small"
        data-testid="upload-defaults-open"
        disabled={!hasBucket}
        onClick={() => controller.openDefaultsEditor()}
      >
        Upload options…
      </button>
    </div>
  );
}

export function BucketDialogs() {
  const dialog = useApp((s) => s.bucketDialog);
  if (dialog === 'new-bucket') return <NewBucketDialog />;
  if (dialog === 'overview') return <BucketOverviewDialog />;
  if (dialog === 'upload-options') return <UploadDefaultsDialog />;
  return null;
}
