import { useApp, useController } from '../context';
import { Icon } from './Icon';
import { OverallProgress } from './OverallProgress';
import { ViewTabs } from './ViewTabs';

function HeaderActions() {
  const controller = useController();
  const hasItems = useApp((s) => s.order.length > 0);
  const settingsLoaded = useApp((s) => s.settings !== null);
  const openSettings = useApp((s) => s.setSettingsOpen);
  return (
    <div className="header-actions">
      <button
        type="button"
        className="button"
        data-testid="pause-all"
        disabled={!hasItems}
        onClick={() => void controller.queueAction('pause')}
      >
        <Icon name="pause" /> Pause all
      </button>
      <button
        type="button"
        className="button"
        data-testid="resume-all"
        disabled={!hasItems}
        onClick={() => void controller.queueAction('resume')}
      >
        <Icon name="play" /> Resume all
      </button>
      <button
        type="button"
        className="button button-icon"
        data-testid="settings-open"
        aria-label="Settings"
        title="Settings"
        disabled={!settingsLoaded}
        onClick={() => openSettings(true)}
      >
        <Icon name="settings" size={18} />
      </button>
    </div>
  );
}

export function Header() {
  return (
    <header className="header">
      <div className="header-row">
        <div className="brand">
          <span className="brand-mark">
            <Icon name="upload" size={16} />
          </span>
          Bucketdrop
        </div>
        <ViewTabs />
        <HeaderActions />
      </div>
      <OverallProgress />
    </header>
  );
}
