import { useCallback } from 'react';
import { useApp, useController } from '../context';
import { useWindowDrop } from '../hooks/useWindowDrop';
import { destinationUrl } from '../keys';
import { Icon } from './Icon';

/** The overlay shown while files are dragged over the window. */
export function DropTarget() {
  const controller = useController();
  const destination = useApp((s) => s.destination);
  const modalOpen = useApp(
    (s) => s.preflight !== null || s.settingsOpen || s.browseDialog !== null,
  );
  // In the browser, files go to the folder shown.
  const browsing = useApp((s) => (s.view === 'browse' ? s.browseLocation : null));
  const onDrop = useCallback(
    (files: File[]) =>
      void (browsing ? controller.browse.planDroppedHere(files) : controller.planDropped(files)),
    [controller, browsing],
  );
  const over = useWindowDrop(onDrop, !modalOpen);
  if (!over) return null;

  const url = browsing ? `s3://${browsing.bucket}/${browsing.prefix}` : destinationUrl(destination);
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-card">
        <Icon name="cloud" size={48} />
        {modalOpen ? (
          <p className="drop-overlay-title">Finish the open dialog first</p>
        ) : url ? (
          <p className="drop-overlay-title">
            Drop to upload to <span className="drop-overlay-url">{url}</span>
          </p>
        ) : (
          <p className="drop-overlay-title">Choose a bucket first</p>
        )}
      </div>
    </div>
  );
}
