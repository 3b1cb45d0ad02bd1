import type { ReactNode } from 'react';
import { Dialog } from '../Dialog';

interface ConfirmDialogProps {
  title: string;
  confirmLabel: string;
  /** Danger styling for actions that cannot be undone. */
  danger?: boolean;
  /** False keeps the confirm button disabled (e.g. until the key name is typed). */
  canConfirm?: boolean;
  busy?: boolean;
  testId: string;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** A yes/no question before a change to the store, saying exactly what will happen. */
export function ConfirmDialog({
  title,
  confirmLabel,
  danger = false,
  canConfirm = true,
  busy = false,
  testId,
  onConfirm,
  onClose,
  children,
}: ConfirmDialogProps) {
  return (
    <Dialog
      title={title}
      testId={testId}
      onClose={onClose}
      initialFocus={['[data-autofocus]', '[data-confirm]']}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={`button ${danger ? 'button-danger' : 'button-primary'}`}
            data-confirm
            data-testid={`${testId}-confirm`}
            disabled={!canConfirm || busy}
            onClick={onConfirm}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
