import { useEffect, useState } from 'react';
import type {
  PlanActionView,
  PointInTimePlanView,
  PointInTimeProgress,
} from '../../../../preload/contract';
import { useController } from '../../context';
import { plural } from '../../format';
import { fromLocalInput, shortVersionId, toLocalInput } from '../../versionFormat';
import { Dialog } from '../Dialog';

const POLL_MS = 400;

function describe(action: PlanActionView): string {
  switch (action.kind) {
    case 'restore':
      return `restore version ${shortVersionId(action.versionId)}`;
    case 'undelete':
      return `undelete (version ${shortVersionId(action.versionId)})`;
    case 'delete':
      return 'delete (created since)';
  }
}

/**
 * Restore a prefix as it was at a chosen moment: first a dry run listing what would change,
 * then applying it with progress. A second run finds nothing to do.
 */
export function PointInTimeDialog({
  bucket,
  prefix,
  onClose,
}: {
  bucket: string;
  prefix: string;
  onClose: () => void;
}) {
  const { versions } = useController();
  const [at, setAt] = useState(() => toLocalInput(new Date(Date.now() - 3_600_000)));
  const [deleteCreatedSince, setDeleteCreatedSince] = useState(false);
  const [plan, setPlan] = useState<PointInTimePlanView | null>(null);
  const [progress, setProgress] = useState<PointInTimeProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Polls while applying; the timer stops with the dialog or once main says it is finished.
  useEffect(() => {
    if (!progress || progress.finished) return;
    const timer = setTimeout(() => {
      void versions.pointInTimeProgress(progress.planId).then((result) => {
        if (result.ok) setProgress(result.value);
        else setError(result.error);
      });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [progress, versions]);

  const computePlan = async () => {
    const iso = fromLocalInput(at);
    if (!iso) {
      setError('Choose a date and a time.');
      return;
    }
    setBusy(true);
    setError(null);
    setProgress(null);
    const result = await versions.planPointInTime({ bucket, prefix, at: iso, deleteCreatedSince });
    setBusy(false);
    if (result.ok) setPlan(result.value);
    else setError(result.error);
  };

  const apply = async () => {
    if (!plan) return;
    const result = await versions.applyPointInTime(plan.planId);
    if (result.ok) setProgress(result.value);
    else setError(result.error);
  };

  const applying = progress !== null && !progress.finished;
  const failed = progress?.results.filter((result) => !result.ok).length ?? 0;

  return (
    <Dialog
      title="Restore a prefix to a point in time"
      subtitle={
        <>
          <code>
            s3://{bucket}/{prefix}
          </code>{' '}
          as it was at the moment you choose. You see every change before anything is done.
        </>
      }
      className="dialog-wide"
      testId="point-in-time-dialog"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {progress?.finished ? 'Close' : 'Cancel'}
          </button>
          <button
            type="button"
            className="button"
            data-testid="pit-plan"
            disabled={busy || applying}
            onClick={() => void computePlan()}
          >
            {plan ? 'Compute again' : 'Show what would change'}
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid="pit-apply"
            disabled={!plan || plan.actions.length === 0 || progress !== null}
            onClick={() => void apply()}
          >
            Apply {plan ? plural(plan.actions.length, 'change') : ''}
          </button>
        </>
      }
    >
      <div className="pit-form">
        <label className="form-field">
          <span className="form-label">Date and time (your time zone)</span>
          <input
            type="datetime-local"
            step={1}
            className="input"
            data-testid="pit-at"
            value={at}
            onChange={(event) => {
              setAt(event.target.value);
              setPlan(null);
              setProgress(null);
            }}
          />
        </label>
        <label className="check-option">
          <input
            type="checkbox"
            checked={deleteCreatedSince}
            onChange={(event) => {
              setDeleteCreatedSince(event.target.checked);
              setPlan(null);
              setProgress(null);
            }}
          />
          Also delete files created since then (a delete marker: they can be undeleted)
        </label>
      </div>
      {error && (
        <p className="callout callout-error" role="alert">
          {error}
        </p>
      )}
      {busy && <p className="muted">Reading the versions under the prefix…</p>}
      {plan && (
        <div className="pit-plan" data-testid="pit-summary">
          <p>
            {plan.actions.length === 0
              ? `Nothing to do: every file under the prefix already matches that moment.`
              : `${plural(plan.actions.length, 'change')}; ${plural(plan.unchanged, 'file')} already match.`}
            {plan.createdSince.length > 0 &&
              ` ${plural(plan.createdSince.length, 'file')} created since ${
                deleteCreatedSince ? 'will be deleted' : 'stay as they are'
              }.`}
          </p>
          {plan.actions.length > 0 && (
            <ul className="pit-actions">
              {plan.actions.map((action) => (
                <li key={action.key} data-kind={action.kind}>
                  <code>{action.key}</code>: {describe(action)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {progress && (
        <p
          role="status"
          data-testid="pit-progress"
          className={failed > 0 ? 'tone-text-failed' : ''}
        >
          {progress.finished
            ? `Done: ${plural(progress.total - failed, 'change')} applied${failed > 0 ? `, ${failed} failed` : ''}.`
            : `Applying: ${progress.done} of ${progress.total}…`}
        </p>
      )}
      {progress?.finished && failed > 0 && (
        <ul className="pit-actions">
          {progress.results
            .filter((result) => !result.ok)
            .map((result) => (
              <li key={result.key}>
                <code>{result.key}</code>: {result.detail}
              </li>
            ))}
        </ul>
      )}
    </Dialog>
  );
}
