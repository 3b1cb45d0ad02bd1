import type { Preflight } from '../../../preload/contract';
import { useApp, useController } from '../context';
import { formatBytes, formatCount, plural } from '../format';
import { destinationUrl } from '../keys';
import { filesToUpload, unresolvedConflicts } from '../store/preflight';
import { optionsBlockStart } from '../store/uploadOptions';
import { ConflictSection } from './ConflictSection';
import { Dialog } from './Dialog';
import { PreflightWarnings } from './PreflightWarnings';
import { UploadOptionsSection } from './UploadOptionsSection';

/** Start when nothing needs deciding, otherwise the "apply to all" choice. */
const PREFLIGHT_FOCUS = ['[data-testid=preflight-start]', '[data-testid=conflict-apply-all]'];

/** Rendering is capped: the dialog previews, main holds the full lists. */
const SKIPPED_SHOWN = 200;

function SampleKeys({ preflight }: { preflight: Preflight }) {
  const more = preflight.fileCount - preflight.sample.length;
  return (
    <section className="preflight-section" aria-labelledby="preflight-sample">
      <h3 className="section-title" id="preflight-sample">
        Where the files will go
      </h3>
      <ul className="key-list">
        {preflight.sample.map((file) => (
          <li key={file.key}>
            <code>{file.key}</code>
            <span className="key-list-size">{formatBytes(file.size)}</span>
          </li>
        ))}
      </ul>
      {more > 0 && <p className="muted small">and {formatCount(more)} more</p>}
    </section>
  );
}

function SkippedFiles({ preflight }: { preflight: Preflight }) {
  const { skipped } = preflight;
  if (skipped.length === 0) return null;
  return (
    <details className="preflight-section skipped">
      <summary className="section-title">{plural(skipped.length, 'file')} will be skipped</summary>
      <ul className="skipped-list">
        {skipped.slice(0, SKIPPED_SHOWN).map((file) => (
          <li key={file.path}>
            <span className="skipped-path" title={file.path}>
              {file.path}
            </span>
            <span className="skipped-reason">{file.reason}</span>
          </li>
        ))}
      </ul>
      {skipped.length > SKIPPED_SHOWN && (
        <p className="muted small">and {formatCount(skipped.length - SKIPPED_SHOWN)} more</p>
      )}
    </details>
  );
}

function Summary({ preflight }: { preflight: Preflight }) {
  return (
    <dl className="preflight-summary">
      <div>
        <dt>Files</dt>
        <dd>{formatCount(preflight.fileCount)}</dd>
      </div>
      <div>
        <dt>Total size</dt>
        <dd>{formatBytes(preflight.totalBytes)}</dd>
      </div>
      <div>
        <dt>Already in bucket</dt>
        <dd>{preflight.conflictsChecked ? formatCount(preflight.conflicts.length) : 'Unknown'}</dd>
      </div>
      <div>
        <dt>Skipped</dt>
        <dd>{formatCount(preflight.skipped.length)}</dd>
      </div>
    </dl>
  );
}

function OptionsHint() {
  const checking = useApp((s) => s.optionsCheck === null);
  return checking ? 'Checking the upload options…' : 'Fix the upload options first.';
}

function PreflightFooter() {
  const controller = useController();
  const toUpload = useApp(filesToUpload);
  const unresolved = useApp(unresolvedConflicts);
  const starting = useApp((s) => s.startingUpload);
  const optionsBlocked = useApp(optionsBlockStart);
  return (
    <>
      <p className="dialog-hint" role="status">
        {unresolved > 0 &&
          `Choose what to do with ${plural(unresolved, 'file')} already in the bucket.`}
        {unresolved === 0 && optionsBlocked && <OptionsHint />}
      </p>
      <button
        type="button"
        className="button"
        data-testid="preflight-cancel"
        onClick={() => void controller.discardPreflight()}
      >
        Cancel
      </button>
      <button
        type="button"
        className="button button-primary"
        data-testid="preflight-start"
        disabled={unresolved > 0 || starting || optionsBlocked}
        onClick={() => void controller.startUpload()}
      >
        {starting ? 'Starting…' : `Upload ${plural(toUpload, 'file')}`}
      </button>
    </>
  );
}

export function PreflightDialog() {
  const controller = useController();
  const preflight = useApp((s) => s.preflight);
  if (!preflight) return null;
  return (
    <Dialog
      title="Review upload"
      subtitle={
        <>
          to <code>{destinationUrl(preflight.destination) ?? preflight.destination.bucket}</code>
        </>
      }
      testId="preflight"
      initialFocus={PREFLIGHT_FOCUS}
      className="dialog-wide"
      onClose={() => void controller.discardPreflight()}
      footer={<PreflightFooter />}
    >
      <Summary preflight={preflight} />
      <SampleKeys preflight={preflight} />
      <ConflictSection preflight={preflight} />
      <PreflightWarnings preflight={preflight} />
      <SkippedFiles preflight={preflight} />
      <UploadOptionsSection />
    </Dialog>
  );
}
