import { useState } from 'react';
import { useApp, useController } from '../context';
import { optionsBlockStart } from '../store/uploadOptions';
import { Dialog } from './Dialog';
import { UploadOptionsForm } from './UploadOptionsSection';

/**
 * "Upload options…": the defaults of the destination bar's bucket and prefix for the connection
 * in use. Every batch to that destination (or below its prefix) starts from them.
 */
export function UploadDefaultsDialog() {
  const controller = useController();
  const target = useApp((s) => s.optionsTarget);
  const blocked = useApp(optionsBlockStart);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const failure = await controller.saveOptionsAsDefaults();
    if (failure) setError(failure);
    else controller.closeBucketDialog();
  };
  return (
    <Dialog
      title="Upload options"
      subtitle={
        <>
          defaults for <code>{`s3://${target?.bucket ?? ''}/${target?.prefix ?? ''}`}</code>
        </>
      }
      testId="upload-defaults"
      className="dialog-wide"
      onClose={() => controller.closeBucketDialog()}
      footer={
        <>
          <p className="dialog-hint" role="status">
            {error ?? (blocked ? 'Fix the options to save them.' : '')}
          </p>
          <button type="button" className="button" onClick={() => controller.closeBucketDialog()}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid="upload-defaults-save"
            disabled={blocked}
            onClick={() => void save()}
          >
            Save defaults
          </button>
        </>
      }
    >
      <UploadOptionsForm />
    </Dialog>
  );
}
