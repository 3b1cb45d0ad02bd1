import { useApp, useController } from '../context';
import { BucketActions } from './BucketActions';
import { BucketError, BucketField } from './BucketField';
import { ConnectionField } from './ConnectionField';
import { Icon } from './Icon';
import { KeyPreview } from './KeyPreview';

function PrefixField() {
  const controller = useController();
  const prefix = useApp((s) => s.destination.prefix);
  return (
    <label className="field field-prefix">
      <span className="field-label">Prefix</span>
      <input
        className="input input-mono"
        type="text"
        value={prefix}
        placeholder="photos/2024/"
        spellCheck={false}
        autoComplete="off"
        data-testid="prefix-input"
        onChange={(event) => controller.setPrefix(event.target.value)}
        onBlur={() => void controller.flushDestination()}
      />
    </label>
  );
}

function AddButtons() {
  const controller = useController();
  const busy = useApp((s) => s.busy !== null);
  return (
    <div className="add-buttons">
      <button
        type="button"
        className="button button-primary"
        data-testid="add-files"
        disabled={busy}
        onClick={() => void controller.pick('files')}
      >
        <Icon name="file" /> Add files…
      </button>
      <button
        type="button"
        className="button"
        data-testid="add-folder"
        disabled={busy}
        onClick={() => void controller.pick('folder')}
      >
        <Icon name="folder" /> Add folder…
      </button>
    </div>
  );
}

export function DestinationBar() {
  return (
    <section className="destination" aria-label="Destination">
      <div className="destination-fields">
        <ConnectionField />
        <BucketField />
        <BucketActions />
        <PrefixField />
        <AddButtons />
      </div>
      <BucketError />
      <KeyPreview />
    </section>
  );
}
