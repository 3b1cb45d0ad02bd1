import { useEffect } from 'react';
import { useApp, useController } from '../context';
import { BrowseDialogs } from './BrowseDialogs';
import { BucketBrowser } from './BucketBrowser';
import { ConnectionsDialog } from './ConnectionsDialog';
import { DestinationBar } from './DestinationBar';
import { DropTarget } from './DropTarget';
import { Header } from './Header';
import { Notices } from './Notices';
import { PreflightDialog } from './PreflightDialog';
import { QueuePanel } from './QueuePanel';
import { SettingsDialog } from './SettingsDialog';

export function App() {
  const controller = useController();
  const modalOpen = useApp(
    (s) => s.preflight !== null || s.settingsOpen || s.connectionsOpen || s.browseDialog !== null,
  );
  const view = useApp((s) => s.view);

  useEffect(() => controller.connect(), [controller]);

  return (
    <>
      {/* inert keeps the page behind a dialog out of reach of Tab and screen readers. */}
      <div className={view === 'browse' ? 'app app-browse' : 'app'} inert={modalOpen}>
        <Header />
        {view === 'browse' ? (
          <BucketBrowser />
        ) : (
          <>
            <DestinationBar />
            <QueuePanel />
          </>
        )}
      </div>
      <DropTarget />
      <PreflightDialog />
      <SettingsDialog />
      <ConnectionsDialog />
      <BrowseDialogs />
      <Notices />
    </>
  );
}
