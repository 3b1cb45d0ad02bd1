import { useEffect } from 'react';
import { useApp, useController } from '../context';
import { BucketDialogs } from './BucketActions';
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
    (s) => s.preflight !== null || s.settingsOpen || s.connectionsOpen || s.bucketDialog !== null,
  );

  useEffect(() => controller.connect(), [controller]);

  return (
    <>
      {/* inert keeps the page behind a dialog out of reach of Tab and screen readers. */}
      <div className="app" inert={modalOpen}>
        <Header />
        <DestinationBar />
        <QueuePanel />
      </div>
      <DropTarget />
      <PreflightDialog />
      <SettingsDialog />
      <ConnectionsDialog />
      <BucketDialogs />
      <Notices />
    </>
  );
}
