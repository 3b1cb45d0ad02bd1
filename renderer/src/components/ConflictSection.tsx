import { useId } from 'react';
import type { ConflictPolicy, Preflight, PreflightConflict } from '../../../preload/contract';
import { useApp } from '../context';
import { formatBytes, formatCount, formatDate, plural } from '../format';
import { choiceFor } from '../store/preflight';

const POLICIES: readonly ConflictPolicy[] = ['overwrite', 'skip', 'rename'];

const LABELS: Record<ConflictPolicy, string> = {
  overwrite: 'Overwrite',
  skip: 'Skip',
  rename: 'Rename',
};

const EXPLANATIONS: Record<ConflictPolicy, string> = {
  overwrite: 'the new file replaces the one in the bucket',
  skip: 'the file in the bucket stays and the new one is not sent',
  rename: 'the new file is uploaded next to it as "name (1).jpg"',
};

/** Each row is a radio group; hundreds of them would make the dialog sluggish. */
const ROWS_SHOWN = 100;

function ApplyToAll({ label }: { label: string }) {
  const conflictDefault = useApp((s) => s.conflictDefault);
  const mixed = useApp((s) => Object.keys(s.conflictChoices).length > 0);
  const applyToAll = useApp((s) => s.applyToAllConflicts);
  const value = mixed ? '' : (conflictDefault ?? '');
  return (
    <label className="apply-all">
      <span>{label}</span>
      <select
        className="input select"
        value={value}
        data-testid="conflict-apply-all"
        onChange={(event) => applyToAll(event.target.value as ConflictPolicy)}
      >
        <option value="" disabled>
          {mixed ? 'Mixed' : 'Choose…'}
        </option>
        {POLICIES.map((policy) => (
          <option key={policy} value={policy}>
            {LABELS[policy]}
          </option>
        ))}
      </select>
    </label>
  );
}

function ConflictRow({ conflict }: { conflict: PreflightConflict }) {
  const name = useId();
  const choice = useApp((s) => choiceFor(s, conflict.key));
  const choose = useApp((s) => s.chooseConflict);
  const modified = formatDate(conflict.existingLastModified);
  return (
    <li className="conflict-row" data-testid="conflict-row" data-key={conflict.key}>
      <div className="conflict-info">
        <code className="conflict-key" title={conflict.key}>
          {conflict.key}
        </code>
        <span className="muted small">
          New {formatBytes(conflict.size)} · in bucket {formatBytes(conflict.existingSize)}
          {modified && `, modified ${modified}`}
        </span>
      </div>
      <div className="segmented" role="radiogroup" aria-label={`What to do with ${conflict.key}`}>
        {POLICIES.map((policy) => (
          <label key={policy} className="segment" title={EXPLANATIONS[policy]}>
            <input
              type="radio"
              name={name}
              value={policy}
              checked={choice === policy}
              onChange={() => choose(conflict.key, policy)}
            />
            <span>{LABELS[policy]}</span>
          </label>
        ))}
      </div>
    </li>
  );
}

function UncheckedConflicts() {
  const policy = useApp((s) => s.conflictDefault);
  return (
    <section className="preflight-section callout callout-warning">
      <h3 className="section-title">Existing files could not be checked</h3>
      <p className="small">
        The bucket could not be listed, so files that already exist are only found during the
        upload. The default policy applies to them
        {policy && <>: {EXPLANATIONS[policy]}</>}.
      </p>
      <ApplyToAll label="If a file already exists" />
    </section>
  );
}

export function ConflictSection({ preflight }: { preflight: Preflight }) {
  const { conflicts } = preflight;
  if (!preflight.conflictsChecked) return <UncheckedConflicts />;
  if (conflicts.length === 0) return null;
  const hidden = conflicts.length - ROWS_SHOWN;
  return (
    <section className="preflight-section" aria-labelledby="preflight-conflicts">
      <div className="section-header">
        <h3 className="section-title" id="preflight-conflicts">
          {plural(conflicts.length, 'file')} already in the bucket
        </h3>
        <ApplyToAll label="For all:" />
      </div>
      <ul className="conflict-list">
        {conflicts.slice(0, ROWS_SHOWN).map((conflict) => (
          <ConflictRow key={conflict.key} conflict={conflict} />
        ))}
      </ul>
      {hidden > 0 && (
        <p className="muted small">
          and {formatCount(hidden)} more, which follow the choice for all
        </p>
      )}
    </section>
  );
}
