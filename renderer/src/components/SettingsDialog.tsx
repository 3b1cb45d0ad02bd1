import { useState, type FormEvent, type ReactNode } from 'react';
import type { Settings } from '../../../preload/contract';
import { useApp, useController } from '../context';
import {
  LIMITS,
  parseDraft,
  toDraft,
  type DraftErrors,
  type NumberField,
  type SettingsDraft,
} from '../settingsDraft';
import { Dialog } from './Dialog';

const FORM_ID = 'settings-form';
const SETTINGS_FOCUS = ['#settings-filesInFlight'];

const CHECKSUMS: readonly { value: Settings['checksumMode']; label: string; hint: string }[] = [
  {
    value: 'WHEN_SUPPORTED',
    label: 'CRC32 (recommended)',
    hint: 'Every part carries a CRC32 that the store verifies; for AWS and most current stores.',
  },
  {
    value: 'WHEN_REQUIRED',
    label: 'Content-MD5',
    hint: 'Every part carries an MD5 instead, for older stores that reject newer checksums.',
  },
];

const POLICIES: readonly { value: Settings['defaultConflictPolicy']; label: string }[] = [
  { value: 'ask', label: 'Ask every time' },
  { value: 'overwrite', label: 'Overwrite' },
  { value: 'skip', label: 'Skip' },
  { value: 'rename', label: 'Rename (name (1).jpg)' },
];

function Row({
  label,
  hint,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="settings-row">
      <div className="settings-label">
        {label}
        {hint && <p className="settings-hint">{hint}</p>}
      </div>
      <div className="settings-control">{children}</div>
    </div>
  );
}

interface NumberRowProps {
  field: NumberField;
  unit?: string;
  hint: string;
  draft: SettingsDraft;
  errors: DraftErrors;
  onChange: (field: NumberField, value: string) => void;
}

function NumberRow({ field, unit, hint, draft, errors, onChange }: NumberRowProps) {
  const { min, max, label } = LIMITS[field];
  const id = `settings-${field}`;
  const error = errors[field];
  return (
    <Row label={<label htmlFor={id}>{label}</label>} hint={hint}>
      <div className="number-field">
        <input
          id={id}
          className="input input-number"
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={draft[field]}
          aria-invalid={error !== undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => onChange(field, event.target.value)}
        />
        <span className="muted small">
          {unit ? `${unit}, ` : ''}
          {min}–{max}
        </span>
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </Row>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const controller = useController();
  const close = useApp((s) => s.setSettingsOpen);
  const [draft, setDraft] = useState(() => toDraft(settings));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const update = (patch: Partial<SettingsDraft>) =>
    setDraft((current) => ({ ...current, ...patch }));
  const updateNumber = (field: NumberField, value: string) => update({ [field]: value });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseDraft(draft);
    setErrors(parsed.ok ? {} : parsed.errors);
    setSaveError(null);
    if (!parsed.ok) return;
    setSaving(true);
    const error = await controller.saveSettings(parsed.patch);
    setSaving(false);
    if (error) setSaveError(error);
    else close(false);
  };

  const numberProps = { draft, errors, onChange: updateNumber };
  return (
    <Dialog
      title="Settings"
      testId="settings-dialog"
      initialFocus={SETTINGS_FOCUS}
      onClose={() => close(false)}
      footer={
        <>
          <span className="dialog-hint" />
          <button type="button" className="button" onClick={() => close(false)}>
            Cancel
          </button>
          <button
            type="submit"
            form={FORM_ID}
            className="button button-primary"
            data-testid="settings-save"
            disabled={saving}
          >
            {saving ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form
        id={FORM_ID}
        className="settings-form"
        onSubmit={(event) => void onSubmit(event)}
        noValidate
      >
        {saveError && (
          <p className="callout callout-error" role="alert">
            {saveError}
          </p>
        )}
        <h3 className="section-title">Speed</h3>
        <NumberRow
          field="filesInFlight"
          hint="How many files upload at the same time."
          {...numberProps}
        />
        <NumberRow
          field="partsInFlight"
          hint="How many parts of one large file upload at the same time."
          {...numberProps}
        />
        <NumberRow
          field="partSizeMiB"
          unit="MiB"
          hint="Large files are sent in parts of this size; larger files may need bigger parts."
          {...numberProps}
        />
        <NumberRow
          field="restoreConcurrency"
          hint="How many files an undelete or a restore to a point in time works on at the same time."
          {...numberProps}
        />

        <h3 className="section-title">Integrity</h3>
        <p className="settings-hint">
          For the default AWS credentials; each saved connection has its own checksum mode.
        </p>
        <fieldset className="radio-list">
          <legend className="visually-hidden">Checksum</legend>
          {CHECKSUMS.map((option) => (
            <label key={option.value} className="radio-option">
              <input
                type="radio"
                name="checksumMode"
                value={option.value}
                checked={draft.checksumMode === option.value}
                onChange={() => update({ checksumMode: option.value })}
              />
              <span>
                <span className="radio-label">{option.label}</span>
                <span className="settings-hint">{option.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>

        <h3 className="section-title">Behavior</h3>
        <label className="check-option">
          <input
            type="checkbox"
            checked={draft.skipJunkFiles}
            onChange={(event) => update({ skipJunkFiles: event.target.checked })}
          />
          <span>
            <span className="radio-label">Skip system junk files</span>
            <span className="settings-hint">.DS_Store, Thumbs.db, desktop.ini and ._* files</span>
          </span>
        </label>
        <label className="check-option">
          <input
            type="checkbox"
            checked={draft.autoResumeOnLaunch}
            onChange={(event) => update({ autoResumeOnLaunch: event.target.checked })}
          />
          <span>
            <span className="radio-label">Resume unfinished uploads on launch</span>
            <span className="settings-hint">Otherwise they wait until you resume them.</span>
          </span>
        </label>
        <label className="check-option">
          <input
            type="checkbox"
            checked={draft.allowUnencryptedEnvironmentEndpoint}
            data-testid="settings-allow-unencrypted"
            onChange={(event) =>
              update({ allowUnencryptedEnvironmentEndpoint: event.target.checked })
            }
          />
          <span>
            <span className="radio-label">
              Allow unencrypted http for AWS_ENDPOINT_URL on a private network
            </span>
            <span className="settings-hint">
              For the default credentials: anyone on the network can read the keys and files sent.
              Never allowed across the internet.
            </span>
          </span>
        </label>
        <Row
          label={<label htmlFor="settings-conflicts">When a file already exists</label>}
          hint="What the review before each upload preselects."
        >
          <select
            id="settings-conflicts"
            className="input select"
            value={draft.defaultConflictPolicy}
            onChange={(event) =>
              update({
                defaultConflictPolicy: event.target.value as Settings['defaultConflictPolicy'],
              })
            }
          >
            {POLICIES.map((policy) => (
              <option key={policy.value} value={policy.value}>
                {policy.label}
              </option>
            ))}
          </select>
        </Row>
      </form>
    </Dialog>
  );
}

export function SettingsDialog() {
  const open = useApp((s) => s.settingsOpen);
  const settings = useApp((s) => s.settings);
  if (!open || !settings) return null;
  return <SettingsForm settings={settings} />;
}
