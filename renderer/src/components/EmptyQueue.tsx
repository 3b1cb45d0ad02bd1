import { useApp } from '../context';
import { destinationUrl } from '../keys';
import { Icon } from './Icon';

export function EmptyQueue() {
  const url = useApp((s) => destinationUrl(s.destination));
  return (
    <div className="empty">
      <div className="empty-icon">
        <Icon name="cloud" size={40} />
      </div>
      <h2 className="empty-title">Drop photos or folders anywhere in this window</h2>
      <p className="empty-text">
        {url ? (
          <>
            They go to <code>{url}</code>.{' '}
          </>
        ) : (
          'Choose a bucket above first. '
        )}
        You&apos;ll see a summary before anything is sent.
      </p>
    </div>
  );
}
