import { useApp } from '../context';
import { normalizePrefix } from '../keys';

export function KeyPreview() {
  const destination = useApp((s) => s.destination);
  const prefix = normalizePrefix(destination.prefix);
  const bucket = destination.bucket.trim();

  let content;
  if (!prefix.ok) {
    content = <span className="tone-text-failed">{prefix.error}</span>;
  } else if (!bucket) {
    content = 'Choose a bucket to see where files will land.';
  } else {
    content = (
      <>
        Files will land at{' '}
        <code className="key-preview-url">
          s3://{bucket}/{prefix.prefix}
          <span className="placeholder">&lt;folder&gt;</span>/
          <span className="placeholder">&lt;file&gt;</span>
        </code>
      </>
    );
  }
  return (
    <p className="key-preview" data-testid="key-preview" aria-live="polite">
      {content}
    </p>
  );
}
