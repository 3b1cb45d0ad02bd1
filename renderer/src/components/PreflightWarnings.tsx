import type { Preflight } from '../../../preload/contract';
import { useApp } from '../context';
import { plural } from '../format';

/** Hidden files or key material included, and links that lead out of the dropped folders. */
export function PreflightWarnings({ preflight }: { preflight: Preflight }) {
  const follow = useApp((s) => s.followOutsideLinks);
  const setFollow = useApp((s) => s.setFollowOutsideLinks);
  const warnings = preflight.warnings ?? [];
  const links = preflight.outsideLinks ?? [];
  if (warnings.length === 0 && links.length === 0) return null;
  return (
    <section className="preflight-section preflight-warnings" aria-labelledby="preflight-warnings">
      <h3 className="section-title" id="preflight-warnings">
        Check before uploading
      </h3>
      {warnings.length > 0 && (
        <ul className="warning-list" data-testid="preflight-warnings">
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {links.length > 0 && (
        <>
          <p>
            {plural(links.length, 'link')} lead{links.length === 1 ? 's' : ''} outside the folder
            and {links.length === 1 ? 'is' : 'are'} skipped:
          </p>
          <ul className="skipped-list" data-testid="preflight-outside-links">
            {links.map((link) => (
              <li key={link.path}>
                <span className="skipped-path" title={link.path}>
                  {link.path}
                </span>
                <span className="skipped-reason">→ {link.target}</span>
              </li>
            ))}
          </ul>
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="preflight-follow-links"
              checked={follow}
              onChange={(event) => setFollow(event.target.checked)}
            />
            Also upload what these links point to
          </label>
        </>
      )}
    </section>
  );
}
