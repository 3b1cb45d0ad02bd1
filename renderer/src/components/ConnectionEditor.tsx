import {
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import type {
  AwsProfileOption,
  ChecksumMode,
  ChecksumProbeResult,
  ConnectionProfileView,
  ConnectionTestResult,
  ProfileKind,
} from '../../../preload/contract';
import {
  awsProfileLabel,
  buildDraft,
  changesAccess,
  CHECKSUM_OPTIONS,
  cloudFrontRow,
  KIND_HINTS,
  KIND_LABELS,
  newForm,
  formFromProfile,
  testDetails,
  testRequest,
  UNTOUCHED_SECRET,
  type ConnectionForm,
  type FormErrors,
  type FormField,
  type SecretInputs,
} from '../connectionDraft';
import { useApp, useController } from '../context';
import { useFocusOnMount } from '../hooks/useFocusOnMount';
import { DialogHeader } from './Dialog';
import { Icon } from './Icon';
import { TransportSecurityFields } from './TransportSecurityFields';

const FORM_ID = 'connection-form';
const NO_AWS_PROFILES: readonly AwsProfileOption[] = [];
const KINDS = Object.keys(KIND_LABELS) as ProfileKind[];

/** The element to focus for each field's error, in the order the form shows them. */
const FIELD_INPUTS: Record<FormField, string> = {
  name: 'connection-name',
  awsProfileName: 'connection-aws-profile',
  accessKeyId: 'connection-access-key',
  secretAccessKey: 'connection-secret',
  endpoint: 'connection-endpoint',
  region: 'connection-region',
  defaultBucket: 'connection-default-bucket',
  cloudFront: 'connection-cloudfront-add',
};

type Status =
  | { kind: 'testing' }
  | {
      kind: 'test';
      ok: boolean;
      message: string;
      details: string[];
      problem?: string;
      /** A region the editor can fill in: found for a draft, which main cannot remember. */
      suggestedRegion?: string;
    }
  | { kind: 'error'; message: string };

type Probe =
  { ok: true; result: ChecksumProbeResult } | { ok: false; message: string } | { ok: null };

function toStatus(
  result: { ok: true; value: ConnectionTestResult } | { ok: false; error: string },
): Status {
  if (!result.ok) return { kind: 'test', ok: false, message: result.error, details: [] };
  const test = result.value;
  if (test.ok) return { kind: 'test', ok: true, message: test.message, details: testDetails(test) };
  const details = test.detectedRegion ? [`detected region ${test.detectedRegion}`] : [];
  return { kind: 'test', ok: false, message: test.message, details, problem: test.problem };
}

/** Props that tie an input to its error, or to its hint when there is no error. */
function described(id: string, error: string | undefined, hint: boolean) {
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return {
    id,
    'aria-invalid': error !== undefined,
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
  };
}

interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  children: ReactNode;
}

function Field({ id, label, hint, error, className, children }: FieldProps) {
  return (
    <div className={`form-field ${className ?? ''}`}>
      <label className="form-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : (
        hint && (
          <p className="settings-hint" id={`${id}-hint`}>
            {hint}
          </p>
        )
      )}
    </div>
  );
}

function TestResult({ status, onUseRegion }: { status: Status; onUseRegion: (r: string) => void }) {
  if (status.kind === 'testing') {
    return (
      <p className="connection-status muted" role="status">
        Testing the connection…
      </p>
    );
  }
  if (status.kind === 'error') {
    return (
      <div className="connection-status callout callout-error" role="alert">
        <Icon name="alert" />
        <p data-testid="connection-error">{status.message}</p>
      </div>
    );
  }
  return (
    <div
      className={`connection-status callout ${status.ok ? 'callout-success' : 'callout-error'}`}
      role={status.ok ? 'status' : 'alert'}
      data-testid="connection-test-result"
      data-ok={String(status.ok)}
      {...(status.problem ? { 'data-problem': status.problem } : {})}
    >
      <Icon name={status.ok ? 'check' : 'alert'} />
      <div>
        <p className="connection-status-message">{status.message}</p>
        {status.details.length > 0 && (
          <p className="connection-status-details">{status.details.join(' · ')}</p>
        )}
        {status.suggestedRegion && (
          <button
            type="button"
            className="link-button connection-use-region"
            data-testid="connection-use-region"
            onClick={() => onUseRegion(status.suggestedRegion!)}
          >
            Use {status.suggestedRegion}
          </button>
        )}
      </div>
    </div>
  );
}

function Consent({
  warning,
  saving,
  onAccept,
  onCancel,
}: {
  warning: string;
  saving: boolean;
  onAccept: () => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const textId = useId();
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div
      className="connection-consent callout callout-warning"
      role="group"
      aria-label="Store the secret without strong encryption?"
      aria-describedby={textId}
      data-testid="connection-consent"
    >
      <Icon name="alert" />
      <div className="connection-consent-body">
        <p className="connection-consent-title">Store the secret without strong encryption?</p>
        <p id={textId} role="alert">
          {warning}
        </p>
        <div className="connection-consent-actions">
          <button
            ref={cancelRef}
            type="button"
            className="button"
            data-testid="connection-consent-cancel"
            onClick={onCancel}
          >
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid="connection-consent-accept"
            disabled={saving}
            onClick={onAccept}
          >
            {saving ? 'Saving…' : 'Store anyway'}
          </button>
        </div>
      </div>
    </div>
  );
}

interface AccessKeyProps {
  saved: ConnectionProfileView | null;
  secrets: SecretInputs;
  errors: FormErrors;
  onChange: (patch: Partial<SecretInputs>, field?: FormField) => void;
}

/** The typed secrets live in the editor's state only; the store never sees them. */
function AccessKeyFields({ saved, secrets, errors, onChange }: AccessKeyProps) {
  const encryption = useApp((s) => s.connections?.encryption ?? null);
  const stored = saved?.kind === 'access-key' && saved.hasSecret;
  const removingToken = stored && secrets.sessionToken === '';
  return (
    <>
      {encryption && !encryption.strong && (
        <div className="callout callout-warning connection-warning" data-testid="connection-weak">
          <Icon name="alert" />
          <p>{encryption.warning}</p>
        </div>
      )}
      {stored && (
        <p className="settings-hint connection-stored" data-testid="connection-stored-key">
          <Icon name="key" size={12} /> A key is stored
          {saved.accessKeyIdHint && (
            <>
              {' '}
              (<code>{saved.accessKeyIdHint}</code>)
            </>
          )}
          . Fill in only what you want to replace; empty fields keep the stored values.
        </p>
      )}
      <Field id="connection-access-key" label="Access key ID" error={errors.accessKeyId}>
        <input
          className="input input-mono"
          type="text"
          value={secrets.accessKeyId ?? ''}
          placeholder={stored ? (saved.accessKeyIdHint ?? '••••') : 'AKIAIOSFODNN7EXAMPLE'}
          spellCheck={false}
          autoComplete="off"
          data-testid="connection-access-key"
          {...described('connection-access-key', errors.accessKeyId, false)}
          onChange={(event) => onChange({ accessKeyId: event.target.value }, 'accessKeyId')}
        />
      </Field>
      <div className="form-grid">
        <Field id="connection-secret" label="Secret access key" error={errors.secretAccessKey}>
          <input
            className="input input-mono"
            type="password"
            value={secrets.secretAccessKey ?? ''}
            placeholder={stored ? '••••••••' : ''}
            spellCheck={false}
            autoComplete="new-password"
            data-testid="connection-secret"
            {...described('connection-secret', errors.secretAccessKey, false)}
            onChange={(event) =>
              onChange({ secretAccessKey: event.target.value }, 'secretAccessKey')
            }
          />
        </Field>
        <Field
          id="connection-session-token"
          label={
            <>
              Session token <span className="muted">(optional)</span>
            </>
          }
          hint={
            removingToken ? (
              <>
                A stored token is removed on save.{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onChange({ sessionToken: null })}
                >
                  Keep it
                </button>
              </>
            ) : stored ? (
              <>
                Only for temporary keys.{' '}
                <button
                  type="button"
                  className="link-button"
                  data-testid="connection-session-token-remove"
                  onClick={() => onChange({ sessionToken: '' })}
                >
                  Remove a stored token
                </button>
              </>
            ) : (
              'Only for temporary keys.'
            )
          }
        >
          <input
            className="input input-mono"
            type="password"
            value={secrets.sessionToken ?? ''}
            placeholder={stored && !removingToken ? 'Unchanged' : ''}
            spellCheck={false}
            autoComplete="new-password"
            data-testid="connection-session-token"
            {...described('connection-session-token', undefined, true)}
            onChange={(event) => onChange({ sessionToken: event.target.value })}
          />
        </Field>
      </div>
    </>
  );
}

function AwsProfileField({
  form,
  error,
  onChange,
}: {
  form: ConnectionForm;
  error: string | undefined;
  onChange: (name: string) => void;
}) {
  const awsProfiles = useApp((s) => s.connections?.awsProfiles ?? NO_AWS_PROFILES);
  const id = 'connection-aws-profile';
  if (awsProfiles.length === 0) {
    return (
      <Field
        id={id}
        label="AWS profile"
        error={error}
        hint="No profiles were found in ~/.aws/config or ~/.aws/credentials: type the profile name."
      >
        <input
          className="input input-mono"
          type="text"
          value={form.awsProfileName}
          placeholder="default"
          spellCheck={false}
          autoComplete="off"
          data-testid={id}
          {...described(id, error, true)}
          onChange={(event) => onChange(event.target.value)}
        />
      </Field>
    );
  }
  const missing = form.awsProfileName && !awsProfiles.some((p) => p.name === form.awsProfileName);
  return (
    <Field
      id={id}
      label="AWS profile"
      error={error}
      hint="From ~/.aws/config and ~/.aws/credentials. For SSO, run aws sso login first."
    >
      <select
        className="input select"
        value={form.awsProfileName}
        data-testid={id}
        {...described(id, error, true)}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="" disabled>
          Choose a profile…
        </option>
        {missing && <option value={form.awsProfileName}>{form.awsProfileName} (not found)</option>}
        {awsProfiles.map((option) => (
          <option key={option.name} value={option.name}>
            {awsProfileLabel(option)}
          </option>
        ))}
      </select>
    </Field>
  );
}

function ProbeResult({ probe, savedMode }: { probe: Probe; savedMode: ChecksumMode | null }) {
  if (probe.ok === null) {
    return (
      <p className="connection-probe muted small" role="status">
        Detecting with a small test upload…
      </p>
    );
  }
  if (!probe.ok) {
    return (
      <p
        className="connection-probe field-error"
        role="alert"
        data-testid="connection-probe-result"
      >
        {probe.message}
      </p>
    );
  }
  const { result } = probe;
  const label = CHECKSUM_OPTIONS.find((o) => o.value === result.mode)?.label ?? result.mode;
  return (
    <p
      className="connection-probe small"
      role="status"
      data-testid="connection-probe-result"
      data-mode={result.mode}
      data-verified={String(result.verified)}
    >
      <Icon name={result.verified ? 'check' : 'info'} size={14} />
      <span>
        <strong>{label}</strong>: {result.reason}
        {result.mode !== savedMode && ' Save to keep this mode.'}
      </span>
    </p>
  );
}

interface EditorProps {
  titleId: string;
  dialog: RefObject<HTMLElement | null>;
  /** null adds a new connection. */
  profile: ConnectionProfileView | null;
  onClose: () => void;
  /** Back to the list; with the id of the connection just saved. */
  onBack: (savedId?: string) => void;
}

export function ConnectionEditor({ titleId, dialog, profile, onClose, onBack }: EditorProps) {
  const controller = useController();
  const awsProfiles = useApp((s) => s.connections?.awsProfiles ?? NO_AWS_PROFILES);
  const [form, setForm] = useState<ConnectionForm>(() =>
    profile ? formFromProfile(profile) : newForm(awsProfiles),
  );
  const [secrets, setSecrets] = useState<SecretInputs>(UNTOUCHED_SECRET);
  const [errors, setErrors] = useState<FormErrors>({});
  const [status, setStatus] = useState<Status | null>(null);
  const [probe, setProbe] = useState<Probe | undefined>(undefined);
  const [busy, setBusy] = useState<'test' | 'save' | 'probe' | null>(null);
  const [consent, setConsent] = useState<string | null>(null);
  /** Focused after the next render, once error messages and new lines are laid out. */
  const [focusTarget, setFocusTarget] = useState<{ selector: string; reveal?: string } | null>(
    null,
  );
  useFocusOnMount(dialog, '#connection-name');

  useEffect(() => {
    if (!focusTarget) return;
    const container = dialog.current;
    const target = container?.querySelector<HTMLElement>(focusTarget.selector);
    target?.focus();
    // Its error message sits below it: bring that into view too.
    const reveal = focusTarget.reveal && container?.querySelector(focusTarget.reveal);
    (reveal || target)?.scrollIntoView({ block: 'nearest' });
  }, [dialog, focusTarget]);

  /** Any edit makes an earlier test result or save error stale. */
  const edited = (field?: FormField) => {
    setStatus(null);
    if (field) setErrors((current) => ({ ...current, [field]: undefined }));
  };
  const update = (patch: Partial<ConnectionForm>, field?: FormField) => {
    setForm((current) => ({ ...current, ...patch }));
    edited(field);
  };
  const updateSecret = (patch: Partial<SecretInputs>, field?: FormField) => {
    setSecrets((current) => ({ ...current, ...patch }));
    edited(field);
  };
  const updateRow = (key: number, patch: { bucket?: string; domain?: string }) =>
    update(
      { cloudFront: form.cloudFront.map((r) => (r.key === key ? { ...r, ...patch } : r)) },
      'cloudFront',
    );

  const showErrors = (check: { errors: FormErrors; cloudFrontRow?: number }) => {
    setErrors(check.errors);
    const first = (Object.keys(FIELD_INPUTS) as FormField[]).find((field) => check.errors[field]);
    if (!first) return;
    const row = form.cloudFront.find((r) => r.key === check.cloudFrontRow);
    if (first === 'cloudFront' && row) {
      const input = row.bucket.trim()
        ? 'connection-cloudfront-domain'
        : 'connection-cloudfront-bucket';
      setFocusTarget({
        selector: `[data-row="${row.key}"] [data-testid=${input}]`,
        reveal: '#connection-cloudfront-add-error',
      });
    } else {
      const id = FIELD_INPUTS[first];
      setFocusTarget({ selector: `#${id}`, reveal: `#${id}-error` });
    }
  };

  const setKind = (kind: ProfileKind) => {
    const first = awsProfiles[0];
    const pick = kind === 'aws-profile' && !form.awsProfileName && first ? first.name : undefined;
    update({ kind, ...(pick ? { awsProfileName: pick } : {}) }, 'awsProfileName');
    setErrors((current) => ({ ...current, accessKeyId: undefined, secretAccessKey: undefined }));
  };

  const runTest = async () => {
    const check = buildDraft(form, secrets, profile, { forTest: true });
    if (!check.ok) return showErrors(check);
    setErrors({});
    setBusy('test');
    setStatus({ kind: 'testing' });
    const request = testRequest(check.draft, check.secret, profile);
    const result = await controller.testConnection(request);
    setBusy(null);
    const next = toStatus(result);
    const detected = result.ok ? result.value.detectedRegion : undefined;
    if (next.kind === 'test' && request.draft && detected && detected !== check.draft.region) {
      next.suggestedRegion = detected;
    }
    setStatus(next);
  };

  const probeBucket = form.defaultBucket.trim();
  const accessChanged = profile !== null && changesAccess(form, secrets, profile);
  const runProbe = async () => {
    if (!profile || !probeBucket) return;
    setBusy('probe');
    setProbe({ ok: null });
    const result = await controller.probeChecksums(profile.id, probeBucket);
    setBusy(null);
    if (!result.ok) return setProbe({ ok: false, message: result.error });
    setProbe({ ok: true, result: result.value });
    setForm((current) => ({ ...current, checksumMode: result.value.mode }));
  };

  const save = async (allowWeakEncryption = false) => {
    const check = buildDraft(form, secrets, profile);
    if (!check.ok) return showErrors(check);
    setErrors({});
    setStatus(null);
    setBusy('save');
    const result = await controller.saveConnection({
      draft: check.draft,
      ...(check.secret ? { secret: check.secret } : {}),
      ...(allowWeakEncryption ? { allowWeakEncryption: true } : {}),
    });
    setBusy(null);
    if ('error' in result) {
      setConsent(null);
      setStatus({ kind: 'error', message: result.error });
    } else if ('needsConsent' in result) {
      setConsent(result.needsConsent);
    } else {
      setConsent(null);
      setSecrets(UNTOUCHED_SECRET);
      onBack(result.saved.id);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (busy === null && consent === null) void save();
  };

  const cancelConsent = () => {
    setConsent(null);
    setFocusTarget({ selector: '[data-testid=connection-save]' });
  };

  const checksum = CHECKSUM_OPTIONS.find((o) => o.value === form.checksumMode);
  const kindHint =
    profile?.kind === 'access-key' && profile.hasSecret && form.kind !== 'access-key'
      ? `${KIND_HINTS[form.kind]} Saving removes the stored key.`
      : KIND_HINTS[form.kind];

  return (
    <>
      <DialogHeader
        title={profile ? `Edit ${profile.name}` : 'Add connection'}
        titleId={titleId}
        subtitle={
          <button type="button" className="link-button back-link" onClick={() => onBack()}>
            ‹ All connections
          </button>
        }
        onClose={onClose}
      />
      <div className="dialog-body">
        <form
          id={FORM_ID}
          className="connection-form"
          data-testid="connection-form"
          aria-labelledby={titleId}
          noValidate
          onSubmit={onSubmit}
        >
          <Field id="connection-name" label="Name" error={errors.name}>
            <input
              className="input"
              type="text"
              value={form.name}
              placeholder="Work account, MinIO at home…"
              maxLength={64}
              autoComplete="off"
              data-testid="connection-name"
              {...described('connection-name', errors.name, false)}
              onChange={(event) => update({ name: event.target.value }, 'name')}
            />
          </Field>

          <h3 className="section-title">Credentials</h3>
          <Field id="connection-kind" label="Kind" hint={kindHint}>
            <select
              className="input select"
              value={form.kind}
              data-testid="connection-kind"
              {...described('connection-kind', undefined, true)}
              onChange={(event) => setKind(event.target.value as ProfileKind)}
            >
              {KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {KIND_LABELS[kind]}
                </option>
              ))}
            </select>
          </Field>
          {form.kind === 'aws-profile' && (
            <AwsProfileField
              form={form}
              error={errors.awsProfileName}
              onChange={(awsProfileName) => update({ awsProfileName }, 'awsProfileName')}
            />
          )}
          {form.kind === 'access-key' && (
            <AccessKeyFields
              saved={profile}
              secrets={secrets}
              errors={errors}
              onChange={updateSecret}
            />
          )}

          <h3 className="section-title">Endpoint</h3>
          <Field
            id="connection-endpoint"
            label="Endpoint URL"
            error={errors.endpoint}
            hint="Only for S3-compatible stores such as MinIO, R2 or B2."
          >
            <input
              className="input input-mono"
              type="text"
              inputMode="url"
              value={form.endpoint}
              placeholder="https://s3.example.com — leave empty for AWS"
              spellCheck={false}
              autoComplete="off"
              data-testid="connection-endpoint"
              {...described('connection-endpoint', errors.endpoint, true)}
              onChange={(event) => update({ endpoint: event.target.value }, 'endpoint')}
            />
          </Field>
          <div className="form-grid">
            <Field
              id="connection-region"
              label="Region"
              error={errors.region}
              hint={
                form.endpoint.trim()
                  ? 'Often "auto" or "us-east-1" for S3-compatible stores.'
                  : 'Empty uses the profile’s or the environment’s region.'
              }
            >
              <input
                className="input input-mono"
                type="text"
                value={form.region}
                placeholder="eu-west-1"
                spellCheck={false}
                autoComplete="off"
                data-testid="connection-region"
                {...described('connection-region', errors.region, true)}
                onChange={(event) => update({ region: event.target.value }, 'region')}
              />
            </Field>
            <label className="check-option connection-path-style">
              <input
                type="checkbox"
                checked={form.forcePathStyle}
                data-testid="connection-path-style"
                onChange={(event) => update({ forcePathStyle: event.target.checked })}
              />
              <span>
                <span className="radio-label">Path-style addresses</span>
                <span className="settings-hint">
                  host/bucket/key instead of bucket.host/key; MinIO and many local stores need it.
                </span>
              </span>
            </label>
          </div>
          <TransportSecurityFields form={form} onChange={(patch) => update(patch)} />

          <h3 className="section-title">Integrity</h3>
          <Field id="connection-checksum" label="Checksum mode" hint={checksum?.hint}>
            <div className="connection-inline">
              <select
                className="input select"
                value={form.checksumMode}
                data-testid="connection-checksum"
                {...described('connection-checksum', undefined, true)}
                onChange={(event) => update({ checksumMode: event.target.value as ChecksumMode })}
              >
                {CHECKSUM_OPTIONS.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                    {option.value === 'WHEN_SUPPORTED' ? ' (recommended)' : ''}
                  </option>
                ))}
              </select>
              {profile && probeBucket && (
                <button
                  type="button"
                  className="button"
                  data-testid="connection-probe"
                  disabled={busy !== null || accessChanged}
                  title={
                    accessChanged
                      ? 'Save your changes first: detection uses the saved connection.'
                      : `Upload and delete a small test object in ${probeBucket}`
                  }
                  onClick={() => void runProbe()}
                >
                  {busy === 'probe' ? 'Detecting…' : 'Detect checksum mode'}
                </button>
              )}
            </div>
          </Field>
          {profile && probeBucket && accessChanged && (
            <p className="settings-hint connection-probe-hint">
              Save your changes before detecting: detection uses the saved connection.
            </p>
          )}
          {(!profile || !probeBucket) && (
            <p className="settings-hint connection-probe-hint">
              Not sure? Save the connection with a default bucket, then detect the mode the store
              accepts.
            </p>
          )}
          {probe && <ProbeResult probe={probe} savedMode={profile?.checksumMode ?? null} />}

          <h3 className="section-title">Defaults</h3>
          <div className="form-grid">
            <Field
              id="connection-default-bucket"
              label="Default bucket"
              error={errors.defaultBucket}
              hint="Chosen when you switch to this connection."
            >
              <input
                className="input"
                type="text"
                value={form.defaultBucket}
                placeholder="my-photo-bucket"
                spellCheck={false}
                autoComplete="off"
                data-testid="connection-default-bucket"
                {...described('connection-default-bucket', errors.defaultBucket, true)}
                onChange={(event) => update({ defaultBucket: event.target.value }, 'defaultBucket')}
              />
            </Field>
            <Field id="connection-default-prefix" label="Default prefix">
              <input
                className="input input-mono"
                type="text"
                value={form.defaultPrefix}
                placeholder="photos/2024/"
                spellCheck={false}
                autoComplete="off"
                data-testid="connection-default-prefix"
                onChange={(event) => update({ defaultPrefix: event.target.value })}
              />
            </Field>
          </div>

          <h3 className="section-title" id="connection-cloudfront-title">
            CloudFront domains
          </h3>
          <p className="settings-hint" id="connection-cloudfront-hint">
            Links to uploaded files use these domains instead of the bucket’s S3 address.
          </p>
          <div
            className="cloudfront-rows"
            role="group"
            aria-labelledby="connection-cloudfront-title"
            aria-describedby="connection-cloudfront-hint"
          >
            {form.cloudFront.map((row, index) => (
              <div
                key={row.key}
                className="cloudfront-row"
                data-row={row.key}
                data-testid="connection-cloudfront-row"
              >
                <input
                  className="input"
                  type="text"
                  value={row.bucket}
                  placeholder="bucket"
                  aria-label={`Bucket, line ${index + 1}`}
                  spellCheck={false}
                  autoComplete="off"
                  data-testid="connection-cloudfront-bucket"
                  onChange={(event) => updateRow(row.key, { bucket: event.target.value })}
                />
                <span className="cloudfront-arrow" aria-hidden="true">
                  →
                </span>
                <input
                  className="input input-mono"
                  type="text"
                  value={row.domain}
                  placeholder="d111111abcdef8.cloudfront.net"
                  aria-label={`CloudFront domain, line ${index + 1}`}
                  spellCheck={false}
                  autoComplete="off"
                  data-testid="connection-cloudfront-domain"
                  onChange={(event) => updateRow(row.key, { domain: event.target.value })}
                />
                <button
                  type="button"
                  className="button button-icon button-ghost"
                  aria-label={`Remove line ${index + 1}`}
                  title="Remove"
                  data-testid="connection-cloudfront-remove"
                  onClick={() => {
                    update({ cloudFront: form.cloudFront.filter((r) => r.key !== row.key) });
                    setErrors((current) => ({ ...current, cloudFront: undefined }));
                    dialog.current
                      ?.querySelector<HTMLElement>('[data-testid=connection-cloudfront-add]')
                      ?.focus();
                  }}
                >
                  <Icon name="close" />
                </button>
              </div>
            ))}
            {errors.cloudFront && (
              <p className="field-error" id="connection-cloudfront-add-error">
                {errors.cloudFront}
              </p>
            )}
            <button
              type="button"
              className="button button-small"
              id="connection-cloudfront-add"
              data-testid="connection-cloudfront-add"
              aria-describedby={errors.cloudFront ? 'connection-cloudfront-add-error' : undefined}
              onClick={() => {
                const used = form.cloudFront.some((r) => r.bucket.trim() === probeBucket);
                const row = cloudFrontRow(used ? '' : probeBucket);
                update({ cloudFront: [...form.cloudFront, row] });
                setFocusTarget({ selector: `[data-row="${row.key}"] input` });
              }}
            >
              <Icon name="plus" size={14} /> Add domain
            </button>
          </div>
        </form>
      </div>
      <footer className="dialog-footer connection-footer">
        {status && (
          <TestResult status={status} onUseRegion={(region) => update({ region }, 'region')} />
        )}
        {consent !== null ? (
          <Consent
            warning={consent}
            saving={busy === 'save'}
            onAccept={() => void save(true)}
            onCancel={cancelConsent}
          />
        ) : (
          <>
            <button
              type="button"
              className="button"
              data-testid="connection-test"
              disabled={busy !== null}
              onClick={() => void runTest()}
            >
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            <span className="dialog-hint" />
            <button type="button" className="button" onClick={() => onBack()}>
              Cancel
            </button>
            <button
              type="submit"
              form={FORM_ID}
              className="button button-primary"
              data-testid="connection-save"
              disabled={busy !== null}
            >
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
          </>
        )}
      </footer>
    </>
  );
}
