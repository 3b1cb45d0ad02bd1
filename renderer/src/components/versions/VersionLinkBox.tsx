import { useState } from 'react';
import type { LinkExpirySeconds, VersionLink, VersionRefView } from '../../../../preload/contract';
import { useController } from '../../context';
import { formatMoment } from '../../versionFormat';

const EXPIRY_OPTIONS: { seconds: LinkExpirySeconds; label: string }[] = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 604_800, label: '7 days' },
];

/** A presigned GET link to exactly this version, copied to the clipboard and shown. */
export function VersionLinkBox({ version }: { version: VersionRefView }) {
  const { versions } = useController();
  const [expiry, setExpiry] = useState<LinkExpirySeconds>(86_400);
  const [link, setLink] = useState<VersionLink | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const make = async () => {
    setError(null);
    const result = await versions.versionLink(version, expiry);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setLink(result.value);
    // The clipboard can be refused (no focus, no permission); the link is shown either way.
    setCopied(
      await navigator.clipboard.writeText(result.value.url).then(
        () => true,
        () => false,
      ),
    );
  };

  return (
    <div className="version-link">
      <label className="version-link-expiry">
        Link valid for{' '}
        <select
          className="input select"
          value={expiry}
          onChange={(event) => setExpiry(Number(event.target.value) as LinkExpirySeconds)}
        >
          {EXPIRY_OPTIONS.map((option) => (
            <option key={option.seconds} value={option.seconds}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button button-small" onClick={() => void make()}>
        Copy link
      </button>
      {error && <p className="callout callout-error">{error}</p>}
      {link && (
        <div className="version-link-result" data-testid="version-link">
          <input
            className="input input-mono"
            readOnly
            value={link.url}
            aria-label="Presigned link to this version"
            onFocus={(event) => event.target.select()}
          />
          <span className="muted">
            {copied ? 'Copied. ' : ''}Expires {formatMoment(link.expiresAt)}.
            {link.note && ` ${link.note}`}
          </span>
        </div>
      )}
    </div>
  );
}
