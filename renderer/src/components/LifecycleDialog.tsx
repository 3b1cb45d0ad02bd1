import { useEffect, useState, type FormEvent } from 'react';
import type {
  LifecycleAdditions,
  LifecycleOverview,
  LifecyclePreview,
  LifecycleRuleView,
} from '../../../preload/contract';
import { useController } from '../context';
import {
  additionsFrom,
  DEFAULT_LIFECYCLE_DRAFT,
  type LifecycleDraft,
  type LifecycleDraftErrors,
} from '../lifecycleDraft';
import { Dialog } from './Dialog';

const FORM_ID = 'lifecycle-form';

function RuleList({ rules, added = [] }: { rules: LifecycleRuleView[]; added?: string[] }) {
  if (rules.length === 0) return <p className="muted">This bucket has no lifecycle rules.</p>;
  return (
    <ul className="lifecycle-rules" data-testid="lifecycle-rules">
      {rules.map((rule) => (
        <li
          key={rule.id}
          className={added.includes(rule.id) ? 'lifecycle-rule is-new' : 'lifecycle-rule'}
        >
          <span className="lifecycle-rule-id">
            {rule.id}
            {added.includes(rule.id) && <span className="pill tone-queued">New</span>}
            {!rule.enabled && <span className="pill tone-cancelled">Disabled</span>}
          </span>
          {rule.sentences.map((sentence) => (
            <span key={sentence} className="lifecycle-rule-sentence">
              {sentence}
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

type View =
  | { kind: 'loading' }
  | { kind: 'rules'; overview: LifecycleOverview }
  | {
      kind: 'confirm';
      preview: LifecyclePreview;
      additions: LifecycleAdditions;
      overview: LifecycleOverview;
    }
  | { kind: 'saved'; preview: LifecyclePreview };

/**
 * A bucket's lifecycle rules in plain words, and the two recommended ones to add. Nothing is
 * written before the user has seen the whole resulting list; existing rules are always kept.
 */
export function LifecycleDialog({ bucket, onClose }: { bucket: string; onClose: () => void }) {
  const controller = useController();
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [draft, setDraft] = useState<LifecycleDraft>(DEFAULT_LIFECYCLE_DRAFT);
  const [errors, setErrors] = useState<LifecycleDraftErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void controller.lifecycleOverview(bucket).then((result) => {
      if (!live) return;
      if (result.ok) setView({ kind: 'rules', overview: result.value });
      else {
        setError(result.error);
        setView({ kind: 'rules', overview: { supported: true, rules: [] } });
      }
    });
    return () => {
      live = false;
    };
  }, [bucket, controller]);

  const update = (patch: Partial<LifecycleDraft>) =>
    setDraft((current) => ({ ...current, ...patch }));

  const review = async (event: FormEvent) => {
    event.preventDefault();
    const checked = additionsFrom(draft);
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok || busy || view.kind !== 'rules') return;
    const overview = view.overview;
    setBusy(true);
    setError(null);
    const result = await controller.previewLifecycle(bucket, checked.additions);
    setBusy(false);
    if (result.ok) {
      setView({ kind: 'confirm', preview: result.value, additions: checked.additions, overview });
    } else setError(result.error);
  };

  const save = async () => {
    if (view.kind !== 'confirm' || busy) return;
    setBusy(true);
    setError(null);
    const result = await controller.applyLifecycle(bucket, view.additions);
    setBusy(false);
    if (result.ok) setView({ kind: 'saved', preview: result.value });
    else setError(result.error);
  };

  const canEdit = view.kind === 'rules' && view.overview.supported && !error;
  const footer =
    view.kind === 'confirm' ? (
      <>
        <span className="dialog-hint">The existing rules stay as they are.</span>
        <button
          type="button"
          className="button"
          onClick={() => setView({ kind: 'rules', overview: view.overview })}
        >
          Back
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="lifecycle-save"
          disabled={busy || view.preview.added.length === 0}
          onClick={() => void save()}
        >
          {busy ? 'Saving…' : 'Save rules'}
        </button>
      </>
    ) : (
      <>
        <span className="dialog-hint" />
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
        {canEdit && (
          <button
            type="submit"
            form={FORM_ID}
            className="button button-primary"
            data-testid="lifecycle-review"
            disabled={busy}
          >
            {busy ? 'Checking…' : 'Review changes'}
          </button>
        )}
      </>
    );

  return (
    <Dialog
      title="Lifecycle rules"
      subtitle={bucket}
      testId="lifecycle-dialog"
      className="dialog-wide"
      onClose={onClose}
      footer={footer}
    >
      {error && (
        <p className="callout callout-error" role="alert">
          {error}
        </p>
      )}
      {view.kind === 'loading' && <p className="muted">Reading the rules…</p>}
      {view.kind === 'rules' && !view.overview.supported && (
        <p className="callout callout-warning" data-testid="lifecycle-unsupported">
          {view.overview.message}
        </p>
      )}
      {view.kind === 'rules' && view.overview.supported && (
        <>
          <h3 className="section-title">Current rules</h3>
          {!error && <RuleList rules={view.overview.rules} />}
          {canEdit && (
            <form
              id={FORM_ID}
              className="settings-form"
              onSubmit={(event) => void review(event)}
              noValidate
            >
              <h3 className="section-title">Recommended rules</h3>
              {errors.form && <p className="field-error">{errors.form}</p>}
              <label className="check-option">
                <input
                  type="checkbox"
                  checked={draft.glacier}
                  onChange={(event) => update({ glacier: event.target.checked })}
                />
                <span>
                  <span className="radio-label">Move objects to Glacier Flexible Retrieval</span>
                  <span className="settings-hint">
                    Cheaper storage; a restore is needed before download.
                  </span>
                </span>
              </label>
              {draft.glacier && (
                <div className="lifecycle-fields">
                  <label>
                    Under the prefix
                    <input
                      className="input"
                      value={draft.glacierPrefix}
                      placeholder="(the whole bucket)"
                      aria-invalid={errors.glacierPrefix !== undefined}
                      onChange={(event) => update({ glacierPrefix: event.target.value })}
                    />
                  </label>
                  <label>
                    Days after creation
                    <input
                      className="input input-number"
                      type="number"
                      min={0}
                      value={draft.glacierDays}
                      aria-invalid={errors.glacierDays !== undefined}
                      onChange={(event) => update({ glacierDays: event.target.value })}
                    />
                  </label>
                  {errors.glacierPrefix && <p className="field-error">{errors.glacierPrefix}</p>}
                  {errors.glacierDays && <p className="field-error">{errors.glacierDays}</p>}
                </div>
              )}
              <label className="check-option">
                <input
                  type="checkbox"
                  checked={draft.abortIncomplete}
                  onChange={(event) => update({ abortIncomplete: event.target.checked })}
                />
                <span>
                  <span className="radio-label">Abort incomplete multipart uploads</span>
                  <span className="settings-hint">
                    Their parts are billed until they are aborted.
                  </span>
                </span>
              </label>
              {draft.abortIncomplete && (
                <div className="lifecycle-fields">
                  <label>
                    Days after they start
                    <input
                      className="input input-number"
                      type="number"
                      min={1}
                      value={draft.abortDays}
                      aria-invalid={errors.abortDays !== undefined}
                      onChange={(event) => update({ abortDays: event.target.value })}
                    />
                  </label>
                  {errors.abortDays && <p className="field-error">{errors.abortDays}</p>}
                </div>
              )}
            </form>
          )}
        </>
      )}
      {view.kind === 'confirm' && (
        <>
          {view.preview.notAdded.map((message) => (
            <p key={message} className="callout callout-warning">
              {message}
            </p>
          ))}
          <h3 className="section-title">
            {view.preview.added.length > 0 ? 'The rules after saving' : 'Nothing to add'}
          </h3>
          <RuleList rules={view.preview.rules} added={view.preview.added} />
        </>
      )}
      {view.kind === 'saved' && (
        <>
          <p className="callout callout-success" role="status" data-testid="lifecycle-saved">
            Saved: {view.preview.added.join(', ')}.
          </p>
          <RuleList rules={view.preview.rules} added={view.preview.added} />
        </>
      )}
    </Dialog>
  );
}
