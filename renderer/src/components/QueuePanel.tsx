import { QueueList } from './QueueList';
import { QueueToolbar } from './QueueToolbar';

export function QueuePanel() {
  return (
    <section className="queue-panel" aria-label="Upload queue">
      <QueueToolbar />
      <QueueList />
    </section>
  );
}
