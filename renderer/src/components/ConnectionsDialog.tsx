import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { useFocusOnMount } from '../hooks/useFocusOnMount';
import type { ConnectionProfileView } from '../../../preload/contract';
import { KIND_LABELS, profileSummary } from '../connectionDraft';
import { useApp, useController } from '../context';
import { useFocusTrap } from '../hooks/useFocusTrap';
import { ConnectionEditor } from './ConnectionEditor';
import { DialogHeader } from './Dialog';
import { Icon } from './Icon';

const ADD_BUTTON = '[data-testid=connection-add]';
const INITIAL_FOCUS = [ADD_BUTTON];

type View =
  /** `focus`: a selector for what gets focus when the list comes back. */
  { mode: 'list'; focus?: string } | { mode: 'edit'; profile: ConnectionProfileView | null };

function rowSelector(id: string, testId: string): string {
  return `[data-testid=connection-row][data-id="${CSS.escape(id)}"] [data-testid=${testId}]`;
}

function DefaultRow({ active }: { active: boolean }) {
  return (
    <li className="connection-row connection-row-default">
      <div className="connection-info">
        <div className="connection-title">
          <span className="connection-name">Default AWS credentials</span>
          <span className="badge">Environment</span>
          {active && <span className="badge badge-active">In use</span>}
        </div>
        <p className="connection-summary">
          Whatever the AWS SDK finds: AWS_* variables, AWS_PROFILE, ~/.aws files, SSO or an instance
          role.
        </p>
      </div>
    </li>
  );
}

interface RowProps {
  profile: ConnectionProfileView;
  active: boolean;
  confirming: boolean;
  removing: boolean;
  onEdit: () => void;
  onAskRemove: () => void;
  onCancelRemove: () => void;
  onRemove: () => void;
}

function ProfileRow(props: RowProps) {
  const { profile, active, confirming, removing } = props;
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);
  const summaryId = useId();
  return (
    <li
      className="connection-row"
      data-testid="connection-row"
      data-id={profile.id}
      data-confirming={confirming ? 'true' : undefined}
      aria-describedby={summaryId}
    >
      <div className="connection-info">
        <div className="connection-title">
          <span className="connection-name">{profile.name}</span>
          <span className="badge">{KIND_LABELS[profile.kind]}</span>
          {profile.hasSecret && (
            <span
              className="badge badge-key"
              data-testid="connection-key-stored"
              title={
                profile.accessKeyIdHint ? `Access key ${profile.accessKeyIdHint}` : 'Key stored'
              }
            >
              <Icon name="key" size={12} /> key stored
            </span>
          )}
          {active && <span className="badge badge-active">In use</span>}
        </div>
        <p className="connection-summary" id={summaryId}>
          {profileSummary(profile)}
        </p>
      </div>
      {confirming ? (
        <div className="connection-confirm" role="group" aria-label={`Remove ${profile.name}?`}>
          <span className="connection-confirm-text">
            Remove {profile.name}?{profile.hasSecret && ' Its stored key is deleted too.'}
            {active && ' Uploads go back to the default AWS credentials.'}
          </span>
          <button
            ref={cancelRef}
            type="button"
            className="button button-small"
            data-testid="connection-remove-cancel"
            onClick={props.onCancelRemove}
          >
            Cancel
          </button>
          <button
            type="button"
            className="button button-small button-danger"
            data-testid="connection-remove-confirm"
            disabled={removing}
            onClick={props.onRemove}
          >
            {removing ? 'Removing…' : 'Remove'}
          </button>
        </div>
      ) : (
        <div className="connection-actions">
          <button
            type="button"
            className="button button-small"
            data-testid="connection-edit"
            aria-label={`Edit ${profile.name}`}
            onClick={props.onEdit}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-small button-ghost"
            data-testid="connection-remove"
            aria-label={`Remove ${profile.name}`}
            onClick={props.onAskRemove}
          >
            Remove
          </button>
        </div>
      )}
    </li>
  );
}

interface ListProps {
  titleId: string;
  dialog: RefObject<HTMLElement | null>;
  focus: string | undefined;
  onClose: () => void;
  onEdit: (profile: ConnectionProfileView | null) => void;
}

function ConnectionList({ titleId, dialog, focus, onClose, onEdit }: ListProps) {
  const controller = useController();
  const overview = useApp((s) => s.connections);
  const loadError = useApp((s) => s.connectionsError);
  const activeId = useApp((s) => s.settings?.activeConnectionId ?? null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  useFocusOnMount(dialog, focus);

  const remove = async (profile: ConnectionProfileView) => {
    setRemoving(true);
    setRemoveError(null);
    const error = await controller.removeConnection(profile.id);
    setRemoving(false);
    setConfirming(null);
    if (error) setRemoveError(error);
    dialog.current?.querySelector<HTMLElement>(ADD_BUTTON)?.focus();
  };

  const cancelRemove = (id: string) => {
    setConfirming(null);
    // After React has put the row's buttons back.
    requestAnimationFrame(() =>
      dialog.current?.querySelector<HTMLElement>(rowSelector(id, 'connection-remove'))?.focus(),
    );
  };

  const profiles = overview?.profiles ?? [];
  return (
    <>
      <DialogHeader
        title="Connections"
        titleId={titleId}
        subtitle="Accounts and S3-compatible stores to upload to. Keys are stored encrypted and never shown again."
        onClose={onClose}
      />
      <div className="dialog-body">
        {loadError && (
          <p className="callout callout-error connections-callout" role="alert">
            Connections could not be loaded: {loadError}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => void controller.loadConnections({ quiet: true })}
            >
              Try again
            </button>
          </p>
        )}
        {removeError && (
          <p className="callout callout-error connections-callout" role="alert">
            {removeError}
          </p>
        )}
        <ul className="connection-list" aria-label="Connections" data-testid="connection-list">
          <DefaultRow active={activeId === null} />
          {profiles.map((profile) => (
            <ProfileRow
              key={profile.id}
              profile={profile}
              active={profile.id === activeId}
              confirming={confirming === profile.id}
              removing={removing}
              onEdit={() => onEdit(profile)}
              onAskRemove={() => setConfirming(profile.id)}
              onCancelRemove={() => cancelRemove(profile.id)}
              onRemove={() => void remove(profile)}
            />
          ))}
        </ul>
        {overview === null && !loadError && <p className="muted small">Loading connections…</p>}
        {overview !== null && profiles.length === 0 && (
          <p className="connections-empty muted">
            No saved connections yet. Add one for another AWS account, an SSO profile or an
            S3-compatible store such as MinIO, Cloudflare R2 or Backblaze B2.
          </p>
        )}
      </div>
      <footer className="dialog-footer">
        <span className="dialog-hint" />
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="connection-add"
          onClick={() => onEdit(null)}
        >
          <Icon name="plus" /> Add connection
        </button>
      </footer>
    </>
  );
}

function ConnectionsManager() {
  const controller = useController();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const [view, setView] = useState<View>({ mode: 'list' });
  const close = () => controller.closeConnections();
  useFocusTrap(ref, close, INITIAL_FOCUS);

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className="dialog dialog-connections"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid="connections-dialog"
        data-view={view.mode}
      >
        {view.mode === 'list' ? (
          <ConnectionList
            titleId={titleId}
            dialog={ref}
            focus={view.focus}
            onClose={close}
            onEdit={(profile) => setView({ mode: 'edit', profile })}
          />
        ) : (
          <ConnectionEditor
            titleId={titleId}
            dialog={ref}
            profile={view.profile}
            onClose={close}
            onBack={(savedId) => {
              const id = savedId ?? view.profile?.id;
              setView({
                mode: 'list',
                focus: id ? rowSelector(id, 'connection-edit') : ADD_BUTTON,
              });
            }}
          />
        )}
      </div>
    </div>
  );
}

/** Modal list of saved connections with an editor; Esc closes it from either view. */
export function ConnectionsDialog() {
  const open = useApp((s) => s.connectionsOpen);
  return open ? <ConnectionsManager /> : null;
}
