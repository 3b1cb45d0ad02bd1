import type { ConnectionForm } from '../connectionDraft';
import { usesPlainHttp } from '../connectionDraft';

/**
 * How the connection is protected on the wire: the acknowledgement plain http needs (main allows
 * it to private addresses only) and the CA certificate that lets a self-signed store use https.
 */
export function TransportSecurityFields({
  form,
  onChange,
}: {
  form: ConnectionForm;
  onChange: (patch: Partial<ConnectionForm>) => void;
}) {
  return (
    <>
      {usesPlainHttp(form.endpoint) && (
        <label className="check-option connection-unencrypted">
          <input
            type="checkbox"
            checked={form.allowUnencrypted}
            data-testid="connection-allow-unencrypted"
            onChange={(event) => onChange({ allowUnencrypted: event.target.checked })}
          />
          <span>
            <span className="radio-label">Allow unencrypted http</span>
            <span className="settings-hint">
              Anyone on the network can read the keys and files sent. Allowed for private addresses
              only (192.168.x.x, 10.x.x.x, name.local); prefer https with a CA certificate below.
            </span>
          </span>
        </label>
      )}
      <div className="field">
        <label className="field-label" htmlFor="connection-ca">
          Extra CA certificate (PEM)
        </label>
        <textarea
          id="connection-ca"
          className="input input-mono connection-ca"
          rows={3}
          value={form.caCertificate}
          placeholder="-----BEGIN CERTIFICATE-----"
          spellCheck={false}
          data-testid="connection-ca-certificate"
          onChange={(event) => onChange({ caCertificate: event.target.value })}
        />
        <span className="settings-hint">
          For a store with a self-signed certificate (MinIO, Ceph): trusted for this connection
          besides the system’s certificates.
        </span>
      </div>
    </>
  );
}
