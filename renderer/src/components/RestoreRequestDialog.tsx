import { useState, type FormEvent } from 'react';
import type { RestoreStatus, RestoreTier } from '../../../preload/contract';
import { expectedDelay, parseDays, restoreSummary, tierOptions } from '../archiveRestore';
import { useController } from '../context';
import { Dialog } from './Dialog';

const FORM_ID = 'restore-request-form';

interface RestoreRequestDialogProps {
  bucket: string;
  /** Not `key`, which React keeps for itself. */
  objectKey: string;
  /** GLACIER or DEEP_ARCHIVE when the browser knows it: shows that class's delays only. */
  storageClass?: string;
  onClose: () => void;
}

/** Asks for a temporary copy of an archived object: how many days, which retrieval tier. */
export function RestoreRequestDialog({
  bucket,
  objectKey: key,
  storageClass,
  onClose,
}: RestoreRequestDialogProps) {
  const controller = useController();
  const options = tierOptions(storageClass);
  const [daysText, setDaysText] = useState('7');
  const [tier, setTier] = useState<RestoreTier>('Standard');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<RestoreStatus | null>(null);
  const days = parseDays(daysText);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!days.ok || sending) return;
    setSending(true);
    setError(null);
    const result = await controller.requestRestore({ bucket, key, days: days.days, tier });
    setSending(false);
    if (result.ok) setStatus(result.value);
    else setError(result.error);
  };

  return (
    <Dialog
      title="Restore from archive"
      subtitle={`s3://${bucket}/${key}`}
      testId="restore-request-dialog"
      initialFocus={['#restore-days']}
      onClose={onClose}
      footer={
        status ? (
          <>
            <span className="dialog-hint" />
            <button type="button" className="button button-primary" onClick={onClose}>
              Close
            </button>
          </>
        ) : (
          <>
            <span className="dialog-hint" />
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              form={FORM_ID}
              className="button button-primary"
              data-testid="restore-request-confirm"
              disabled={!days.ok || sending}
            >
              {sending ? 'Requesting…' : 'Request restore'}
            </button>
          </>
        )
      }
    >
      {status ? (
        <p className="callout callout-success" role="status" data-testid="restore-request-status">
          {status.message}
        </p>
      ) : (
        <form
          id={FORM_ID}
          className="settings-form"
          onSubmit={(event) => void onSubmit(event)}
          noValidate
        >
          {error && (
            <p className="callout callout-error" role="alert">
              {error}
            </p>
          )}
          <div className="settings-row">
            <div className="settings-label">
              <label htmlFor="restore-days">Keep the restored copy for</label>
              <p className="settings-hint">After that, the object is only in the archive again.</p>
            </div>
            <div className="settings-control">
              <div className="number-field">
                <input
                  id="restore-days"
                  className="input input-number"
                  type="number"
                  min={1}
                  step={1}
                  value={daysText}
                  aria-invalid={!days.ok}
                  aria-describedby={!days.ok ? 'restore-days-error' : undefined}
                  onChange={(event) => setDaysText(event.target.value)}
                />
                <span className="muted small">days</span>
              </div>
              {!days.ok && (
                <p className="field-error" id="restore-days-error">
                  {days.error}
                </p>
              )}
            </div>
          </div>
          <h3 className="section-title">Retrieval tier</h3>
          <fieldset className="radio-list" aria-label="Retrieval tier">
            {options.map((option) => (
              <label key={option.tier} className="radio-option">
                <input
                  type="radio"
                  name="restore-tier"
                  value={option.tier}
                  checked={tier === option.tier}
                  disabled={!option.available}
                  onChange={() => setTier(option.tier)}
                />
                <span>
                  <span className="radio-label">{option.tier}</span>
                  <span className="settings-hint">{expectedDelay(option, storageClass)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {days.ok && <p className="dialog-note">{restoreSummary(key, days.days, tier)}</p>}
        </form>
      )}
    </Dialog>
  );
}
