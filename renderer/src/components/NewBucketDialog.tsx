import { useState, type FormEvent } from 'react';
import type { BucketSetupStep } from '../../../preload/contract';
import { useApp, useController } from '../context';
import { Dialog } from './Dialog';

const FORM_ID = 'new-bucket-form';
const FOCUS = ['#new-bucket-name'];

/**
 * Creates a bucket the safe way: versioning, Block Public Access and the clean-up of abandoned
 * uploads are on unless the user turns them off, and each step's outcome is shown, since some
 * stores accept the bucket but not every setting.
 */
export function NewBucketDialog() {
  const controller = useController();
  const connectionRegion = useApp((s) => {
    const id = s.settings?.activeConnectionId;
    return s.connections?.profiles.find((p) => p.id === id)?.region ?? '';
  });
  const [name, setName] = useState('');
  const [region, setRegion] = useState(connectionRegion);
  const [versioning, setVersioning] = useState(true);
  const [blockPublicAccess, setBlockPublicAccess] = useState(true);
  const [lifecycle, setLifecycle] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [steps, setSteps] = useState<BucketSetupStep[] | null>(null);
  const [busy, setBusy] = useState(false);
  const created = steps?.[0]?.ok === true;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await controller.createBucket({
      name: name.trim(),
      ...(region.trim() ? { region: region.trim() } : {}),
      versioning,
      blockPublicAccess,
      abortIncompleteUploadsAfter7Days: lifecycle,
    });
    setBusy(false);
    if (!result.ok) setError(result.error);
    else setSteps(result.value);
  };

  const useBucket = () => {
    controller.setBucket(name.trim());
    void controller.loadBuckets();
    controller.closeBucketDialog();
  };

  return (
    <Dialog
      title="New bucket"
      testId="new-bucket"
      initialFocus={FOCUS}
      onClose={() => controller.closeBucketDialog()}
      footer={
        created ? (
          <>
            <span className="footer-spacer" />
            <button type="button" className="button" onClick={() => controller.closeBucketDialog()}>
              Close
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid="new-bucket-use"
              onClick={useBucket}
            >
              Upload to {name.trim()}
            </button>
          </>
        ) : (
          <>
            <span className="footer-spacer" />
            <button type="button" className="button" onClick={() => controller.closeBucketDialog()}>
              Cancel
            </button>
            <button
              type="submit"
              form={FORM_ID}
              className="button button-primary"
              data-testid="new-bucket-create"
              disabled={busy || name.trim() === ''}
            >
              {busy ? 'Creating…' : 'Create bucket'}
            </button>
          </>
        )
      }
    >
      <form id={FORM_ID} className="option-grid" onSubmit={(event) => void submit(event)}>
        <div className="option-row">
          <label className="field-label" htmlFor="new-bucket-name">
            Name
          </label>
          <div className="option-control">
            <input
              id="new-bucket-name"
              className="input input-mono"
              type="text"
              value={name}
              placeholder="my-photo-bucket"
              spellCheck={false}
              autoComplete="off"
              disabled={created}
              aria-describedby="new-bucket-name-hint"
              data-testid="new-bucket-name"
              onChange={(event) => setName(event.target.value)}
            />
            <p className="muted small" id="new-bucket-name-hint">
              3 to 63 lowercase letters, digits, hyphens and dots, unique across all accounts.
            </p>
          </div>
        </div>
        <div className="option-row">
          <label className="field-label" htmlFor="new-bucket-region">
            Region
          </label>
          <div className="option-control">
            <input
              id="new-bucket-region"
              className="input input-mono"
              type="text"
              value={region}
              placeholder="the connection's region"
              spellCheck={false}
              disabled={created}
              data-testid="new-bucket-region"
              onChange={(event) => setRegion(event.target.value)}
            />
          </div>
        </div>
        <div className="option-row">
          <span className="field-label">Protection</span>
          <div className="option-control">
            <label className="check-option">
              <input
                type="checkbox"
                checked={versioning}
                disabled={created}
                data-testid="new-bucket-versioning"
                onChange={(event) => setVersioning(event.target.checked)}
              />
              <span>
                Versioning (recommended): an overwritten or deleted photo keeps its earlier
                versions, so a mistake can be undone. Old versions are billed as storage.
              </span>
            </label>
            <label className="check-option">
              <input
                type="checkbox"
                checked={blockPublicAccess}
                disabled={created}
                data-testid="new-bucket-bpa"
                onChange={(event) => setBlockPublicAccess(event.target.checked)}
              />
              <span>Block Public Access: no ACL or bucket policy can make the photos public.</span>
            </label>
            <label className="check-option">
              <input
                type="checkbox"
                checked={lifecycle}
                disabled={created}
                data-testid="new-bucket-lifecycle"
                onChange={(event) => setLifecycle(event.target.checked)}
              />
              <span>Abort uploads left incomplete for 7 days (S3 bills their parts).</span>
            </label>
          </div>
        </div>
      </form>
      {error && (
        <p className="callout callout-error" role="alert" data-testid="new-bucket-error">
          {error}
        </p>
      )}
      {steps && (
        <ul className="setup-steps" data-testid="new-bucket-steps" aria-live="polite">
          {steps.map((step) => (
            <li
              key={step.step}
              className={`callout ${step.ok ? 'callout-success' : 'callout-warning'}`}
            >
              {step.message}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
