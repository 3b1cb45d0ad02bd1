import { useEffect, useState } from 'react';
import { useApp, useController } from '../context';
import { BrowseDialogs } from './BrowseDialogs';
import { BucketBrowser } from './BucketBrowser';
import { BucketDialogs } from './BucketActions';
import { ConnectionsDialog } from './ConnectionsDialog';
import { DestinationBar } from './DestinationBar';
import { DropTarget } from './DropTarget';
import { Header } from './Header';
import { Notices } from './Notices';
import { PreflightDialog } from './PreflightDialog';
import { QueuePanel } from './QueuePanel';
import { SettingsDialog } from './SettingsDialog';
import { DeletedFilesList } from './versions/DeletedFilesList';
import { HistoryView } from './versions/HistoryView';
import { LifecycleDialog } from './LifecycleDialog';
import { ObjectAccessCheck } from './ObjectAccessCheck';
import { RestoreRequestDialog } from './RestoreRequestDialog';

export function App() {
  const controller = useController();
  const [restoreTarget, setRestoreTarget] = useState<{ bucket: string; key: string } | null>(null);
  const [lifecycleBucket, setLifecycleBucket] = useState<string | null>(null);
  const details = useApp((s) => s.details);
  const modalOpen =
    useApp(
      (s) =>
        s.preflight !== null ||
        s.settingsOpen ||
        s.connectionsOpen ||
        s.browseDialog !== null ||
        s.bucketDialog !== null,
    ) ||
    restoreTarget !== null ||
    lifecycleBucket !== null;
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const setHistoryTarget = useApp((s) => s.setHistoryTarget);
  const showVersions = ({ bucket, key }: { bucket: string; key: string }) => {
    setHistoryTarget({ bucket, path: key });
    setView('history');
  };

  useEffect(() => controller.connect(), [controller]);

  return (
    <>
      {/* inert keeps the page behind a dialog out of reach of Tab and screen readers. */}
      <div className={view === 'queue' ? 'app' : 'app app-single'} inert={modalOpen}>
        <Header />
        {view === 'queue' && <DestinationBar />}
        {view === 'queue' && <QueuePanel />}
        {view === 'browse' && (
          <BucketBrowser
            onDownload={(selection) => void controller.downloadObjects(selection)}
            onRequestRestore={setRestoreTarget}
            onOpenLifecycle={setLifecycleBucket}
            onShowVersions={showVersions}
            renderDeletedFiles={(bucket, prefix) => (
              <DeletedFilesList bucket={bucket} prefix={prefix} />
            )}
            renderObjectExtras={(bucket, key) => (
              <ObjectAccessCheck key={`${bucket}/${key}`} bucket={bucket} objectKey={key} />
            )}
          />
        )}
        {view === 'history' && <HistoryView />}
      </div>
      <DropTarget />
      <PreflightDialog />
      <SettingsDialog />
      <ConnectionsDialog />
      <BrowseDialogs />
      {restoreTarget && (
        <RestoreRequestDialog
          bucket={restoreTarget.bucket}
          objectKey={restoreTarget.key}
          storageClass={
            details?.key === restoreTarget.key ? details.value?.storageClass : undefined
          }
          onClose={() => setRestoreTarget(null)}
        />
      )}
      {lifecycleBucket !== null && (
        <LifecycleDialog bucket={lifecycleBucket} onClose={() => setLifecycleBucket(null)} />
      )}
      <BucketDialogs />
      <Notices />
    </>
  );
}
