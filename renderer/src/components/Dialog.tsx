import { useId, useRef, type ReactNode } from 'react';
import { useFocusTrap } from '../hooks/useFocusTrap';
import { Icon } from './Icon';

interface DialogProps {
  title: ReactNode;
  subtitle?: ReactNode;
  /** Esc, the close button and Cancel all end up here. */
  onClose: () => void;
  footer: ReactNode;
  testId: string;
  /** Selectors tried in order for the element focused on open. */
  initialFocus?: readonly string[];
  className?: string;
  children: ReactNode;
}

/** The title row with the close button; Dialog uses it, and so do dialogs that swap views. */
export function DialogHeader({
  title,
  titleId,
  subtitle,
  onClose,
}: {
  title: ReactNode;
  titleId: string;
  subtitle?: ReactNode;
  onClose: () => void;
}) {
  return (
    <header className="dialog-header">
      <div>
        <h2 className="dialog-title" id={titleId}>
          {title}
        </h2>
        {subtitle && <p className="dialog-subtitle">{subtitle}</p>}
      </div>
      <button
        type="button"
        className="button button-icon button-ghost"
        aria-label="Close"
        title="Close"
        onClick={onClose}
      >
        <Icon name="close" />
      </button>
    </header>
  );
}

export function Dialog({
  title,
  subtitle,
  onClose,
  footer,
  testId,
  initialFocus,
  className,
  children,
}: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useFocusTrap(ref, onClose, initialFocus);
  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className={`dialog ${className ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={testId}
      >
        <DialogHeader title={title} titleId={titleId} subtitle={subtitle} onClose={onClose} />
        <div className="dialog-body">{children}</div>
        <footer className="dialog-footer">{footer}</footer>
      </div>
    </div>
  );
}
