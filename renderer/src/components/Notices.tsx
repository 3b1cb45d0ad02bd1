import { useEffect } from 'react';
import { useApp, useController } from '../context';
import type { UiNotice } from '../store/notices';
import { Icon, type IconName } from './Icon';

/** Errors stay until dismissed; good news goes away on its own. */
const AUTO_DISMISS_MS = 8000;

const ICONS: Record<UiNotice['kind'], IconName> = {
  error: 'alert',
  restored: 'info',
  'batch-finished': 'check',
};

function NoticeToast({ notice }: { notice: UiNotice }) {
  const controller = useController();
  const dismiss = useApp((s) => s.dismissNotice);
  const offerResume = useApp((s) => s.settings?.autoResumeOnLaunch === false);

  useEffect(() => {
    if (notice.kind === 'error') return;
    const timer = setTimeout(() => dismiss(notice.id), AUTO_DISMISS_MS);
    return () => clearTimeout(timer);
  }, [notice.id, notice.kind, notice.count, dismiss]);

  return (
    <div className={`notice notice-${notice.kind}`} data-testid="notice" data-kind={notice.kind}>
      <span className="notice-icon">
        <Icon name={ICONS[notice.kind]} size={18} />
      </span>
      <p className="notice-message">
        {notice.message}
        {notice.count > 1 && <span className="notice-count"> ({notice.count}×)</span>}
      </p>
      {notice.kind === 'restored' && offerResume && (
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            dismiss(notice.id);
            void controller.resumeUnfinished();
          }}
        >
          Resume
        </button>
      )}
      <button
        type="button"
        className="button button-icon button-ghost"
        aria-label="Dismiss notification"
        title="Dismiss"
        onClick={() => dismiss(notice.id)}
      >
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}

export function Notices() {
  const notices = useApp((s) => s.notices);
  return (
    <div className="notices" role="region" aria-live="polite" aria-label="Notifications">
      {notices.map((notice) => (
        <NoticeToast key={notice.id} notice={notice} />
      ))}
    </div>
  );
}
