import { isUnencrypted } from '../connectionDraft';
import { useApp, useController } from '../context';

/** The destination bar's connection: which credentials list buckets and upload. */
export function ConnectionField() {
  const controller = useController();
  const activeId = useApp((s) => s.settings?.activeConnectionId ?? null);
  const settingsLoaded = useApp((s) => s.settings !== null);
  const profiles = useApp((s) => s.connections?.profiles ?? null);
  const known = activeId === null || profiles?.some((profile) => profile.id === activeId);
  const environmentUnencrypted = useApp(
    (s) => s.settings?.allowUnencryptedEnvironmentEndpoint === true,
  );
  const unencrypted =
    activeId === null
      ? environmentUnencrypted
      : isUnencrypted(profiles?.find((profile) => profile.id === activeId));
  return (
    <div className="field field-connection">
      <label className="field-label" htmlFor="connection-select">
        Connection
      </label>
      <div className="connection-control">
        <select
          id="connection-select"
          className="input select"
          value={activeId ?? ''}
          disabled={!settingsLoaded}
          data-testid="connection-select"
          onChange={(event) => void controller.selectConnection(event.target.value || null)}
        >
          <option value="">Default AWS credentials</option>
          {!known && activeId !== null && (
            <option value={activeId} disabled>
              {profiles === null ? 'Loading connections…' : 'Unknown connection'}
            </option>
          )}
          {profiles?.map((profile) => (
            <option key={profile.id} value={profile.id}>
              {profile.name}
            </option>
          ))}
        </select>
        {unencrypted && (
          <span
            className="pill tone-failed"
            data-testid="connection-unencrypted"
            title="This connection uses plain http: anyone on the network can read what it sends."
          >
            Unencrypted
          </span>
        )}
        <button
          type="button"
          className="button"
          data-testid="connections-open"
          title="Add, edit and test connections"
          onClick={() => controller.openConnections()}
        >
          <span>
            Manage<span className="visually-hidden"> connections</span>…
          </span>
        </button>
      </div>
    </div>
  );
}
