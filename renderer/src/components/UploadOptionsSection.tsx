import { useId, useState, type ReactNode } from 'react';
import type {
  CannedAcl,
  StorageClass,
  UploadOptionField,
  UploadOptions,
} from '../../../preload/contract';
import { useApp, useController } from '../context';
import {
  ACL_LABELS,
  CACHE_PRESETS,
  formatPairs,
  parsePairs,
  STORAGE_CLASS_LABELS,
} from '../uploadOptionChoices';

const CUSTOM = 'custom';

function FieldProblems({ field, local = [] }: { field: UploadOptionField; local?: string[] }) {
  const check = useApp((s) => s.optionsCheck);
  const messages = [
    ...local,
    ...(check?.problems.filter((p) => p.field === field).map((p) => p.message) ?? []),
  ];
  if (messages.length === 0) return null;
  return (
    <ul
      className="field-error option-problems"
      role="alert"
      data-testid={`option-problem-${field}`}
    >
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

function Row({ label, id, children }: { label: string; id: string; children: ReactNode }) {
  return (
    <div className="option-row">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="option-control">{children}</div>
    </div>
  );
}

/** Key=value lines; lines that are not pairs are reported here, the rest go to main's rules. */
function PairsField({
  field,
  label,
  placeholder,
}: {
  field: 'metadata' | 'tags';
  label: string;
  placeholder: string;
}) {
  const controller = useController();
  const options = useApp((s) => s.batchOptions);
  const id = useId();
  const [text, setText] = useState(() => formatPairs(options[field]));
  const [errors, setErrors] = useState<string[]>([]);
  return (
    <Row label={label} id={id}>
      <textarea
        id={id}
        className="input input-mono option-pairs"
        rows={2}
        value={text}
        placeholder={placeholder}
        spellCheck={false}
        data-testid={`option-${field}`}
        onChange={(event) => {
          setText(event.target.value);
          const parsed = parsePairs(event.target.value);
          setErrors(parsed.errors);
          controller.setBatchOptions({ ...options, [field]: parsed.pairs });
        }}
      />
      <FieldProblems field={field} local={errors} />
    </Row>
  );
}

function CacheControlField({
  options,
  change,
}: {
  options: UploadOptions;
  change: (patch: Partial<UploadOptions>) => void;
}) {
  const id = useId();
  const value = options.cacheControl ?? '';
  const preset = CACHE_PRESETS.some((p) => p.value === value);
  const [custom, setCustom] = useState(value !== '' && !preset);
  return (
    <Row label="Cache-Control" id={id}>
      <select
        id={id}
        className="input select"
        value={custom ? CUSTOM : value}
        data-testid="option-cache-preset"
        onChange={(event) => {
          const chosen = event.target.value;
          setCustom(chosen === CUSTOM);
          if (chosen !== CUSTOM) change({ cacheControl: chosen || undefined });
        }}
      >
        <option value="">None (the store's default)</option>
        {CACHE_PRESETS.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
        <option value={CUSTOM}>Custom…</option>
      </select>
      {custom && (
        <input
          className="input input-mono"
          type="text"
          aria-label="Custom Cache-Control"
          value={value}
          placeholder="public, max-age=600"
          spellCheck={false}
          data-testid="option-cache-custom"
          onChange={(event) => change({ cacheControl: event.target.value || undefined })}
        />
      )}
      <FieldProblems field="cacheControl" />
    </Row>
  );
}

/**
 * The fields of the upload options being edited. Each change is checked by main (rules, the
 * bucket's ACL settings, tag support); problems show next to their field.
 */
export function UploadOptionsForm() {
  const controller = useController();
  const options = useApp((s) => s.batchOptions);
  const check = useApp((s) => s.optionsCheck);
  const ids = { storage: useId(), disposition: useId(), acl: useId(), sse: useId(), kms: useId() };
  const change = (patch: Partial<UploadOptions>) =>
    controller.setBatchOptions({ ...options, ...patch });
  return (
    <>
      <div className="option-grid">
        <Row label="Storage class" id={ids.storage}>
          <select
            id={ids.storage}
            className="input select"
            value={options.storageClass ?? ''}
            data-testid="option-storage-class"
            onChange={(event) =>
              change({
                storageClass: (event.target.value || undefined) as StorageClass | undefined,
              })
            }
          >
            <option value="">Bucket default (Standard)</option>
            {Object.entries(STORAGE_CLASS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <FieldProblems field="storageClass" />
        </Row>
        <CacheControlField options={options} change={change} />
        <Row label="Content-Disposition" id={ids.disposition}>
          <input
            id={ids.disposition}
            className="input input-mono"
            type="text"
            value={options.contentDisposition ?? ''}
            placeholder="inline, or attachment to download"
            spellCheck={false}
            data-testid="option-content-disposition"
            onChange={(event) => change({ contentDisposition: event.target.value || undefined })}
          />
          <FieldProblems field="contentDisposition" />
        </Row>
        <Row label="Access" id={ids.acl}>
          <select
            id={ids.acl}
            className="input select"
            value={options.acl ?? ''}
            data-testid="option-acl"
            onChange={(event) =>
              change({ acl: (event.target.value || undefined) as CannedAcl | undefined })
            }
          >
            <option value="">Private, no ACL (recommended)</option>
            {Object.entries(ACL_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <FieldProblems field="acl" />
        </Row>
        <Row label="Encryption" id={ids.sse}>
          <select
            id={ids.sse}
            className="input select"
            value={options.sse ?? ''}
            data-testid="option-sse"
            onChange={(event) => {
              const sse = (event.target.value || undefined) as UploadOptions['sse'];
              change({ sse, ...(sse !== 'aws:kms' ? { sseKmsKeyId: undefined } : {}) });
            }}
          >
            <option value="">Bucket default</option>
            <option value="AES256">SSE-S3 (AES256)</option>
            <option value="aws:kms">SSE-KMS (aws:kms)</option>
          </select>
          {options.sse === 'aws:kms' && (
            <input
              id={ids.kms}
              className="input input-mono"
              type="text"
              aria-label="KMS key ID (empty: the AWS managed key)"
              value={options.sseKmsKeyId ?? ''}
              placeholder="KMS key ID or ARN (empty: the AWS managed key)"
              spellCheck={false}
              data-testid="option-kms-key"
              onChange={(event) => change({ sseKmsKeyId: event.target.value || undefined })}
            />
          )}
          <FieldProblems field="sse" />
          <FieldProblems field="sseKmsKeyId" />
        </Row>
        <PairsField field="metadata" label="Metadata" placeholder="project=spring-shoot" />
        <PairsField field="tags" label="Tags" placeholder="client=acme" />
        <div className="option-row">
          <span className="field-label">Image metadata</span>
          <div className="option-control">
            <label className="check-option">
              <input
                type="checkbox"
                checked={options.exifMetadata ?? false}
                data-testid="option-exif"
                onChange={(event) =>
                  change({
                    exifMetadata: event.target.checked,
                    ...(event.target.checked ? {} : { includeGps: false }),
                  })
                }
              />
              Copy width, height, capture date, camera and orientation into x-amz-meta-*
            </label>
            <label className="check-option">
              <input
                type="checkbox"
                checked={options.includeGps ?? false}
                disabled={!options.exifMetadata}
                data-testid="option-gps"
                onChange={(event) => change({ includeGps: event.target.checked })}
              />
              Include the GPS position (where the photo was taken)
            </label>
            <FieldProblems field="includeGps" />
          </div>
        </div>
      </div>
      {check?.notices.map((notice) => (
        <p key={notice} className="callout callout-warning small" role="status">
          {notice}
        </p>
      ))}
    </>
  );
}

/**
 * The batch's upload options in the preflight, starting from the destination's defaults;
 * problems hold Start back and keep the section open.
 */
export function UploadOptionsSection() {
  const controller = useController();
  const options = useApp((s) => s.batchOptions);
  const check = useApp((s) => s.optionsCheck);
  const target = useApp((s) => s.optionsTarget);
  const [saved, setSaved] = useState<string | null>(null);
  const problems = check?.problems.length ?? 0;
  const summary = [
    options.storageClass ?? 'Standard',
    options.cacheControl ? `Cache-Control: ${options.cacheControl}` : null,
    options.acl ? `ACL ${options.acl}` : 'private',
    options.sse ? `SSE ${options.sse}` : null,
    options.exifMetadata ? `EXIF${options.includeGps ? ' with GPS' : ''}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <details
      className="preflight-section upload-options"
      open={problems > 0 || undefined}
      onChange={() => setSaved(null)}
    >
      <summary className="section-title" data-testid="options-toggle">
        Options <span className="muted small">{summary}</span>
        {problems > 0 && <span className="field-error small"> ({problems} to fix)</span>}
      </summary>
      <UploadOptionsForm />
      <p className="option-save">
        <button
          type="button"
          className="button button-small"
          data-testid="options-save-defaults"
          disabled={problems > 0}
          onClick={() =>
            void controller
              .saveOptionsAsDefaults()
              .then((error) => setSaved(error ?? 'Saved as the defaults for this destination.'))
          }
        >
          Use as defaults for {target?.bucket}/{target?.prefix}
        </button>{' '}
        <span className="muted small" role="status">
          {saved}
        </span>
      </p>
    </details>
  );
}
