import { useEffect, useState } from 'react';
import type { VersionPreview, VersionRefView } from '../../../../preload/contract';
import { useController } from '../../context';
import { shortVersionId } from '../../versionFormat';

/** A small picture of one version, drawn in main from that version's own bytes. */
export function VersionPreviewBox({ version }: { version: VersionRefView }) {
  const { versions } = useController();
  const [preview, setPreview] = useState<VersionPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { bucket, key, versionId } = version;

  useEffect(() => {
    let current = true;
    void versions.previewVersion({ bucket, key, versionId }).then((result) => {
      if (!current) return;
      if (result.ok) setPreview(result.value);
      else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, [versions, bucket, key, versionId]);

  if (error) return <p className="callout callout-error">{error}</p>;
  if (!preview) return <p className="muted">Loading the preview…</p>;
  if (preview.kind === 'none') return <p className="muted">{preview.reason}</p>;
  return (
    <img
      className="version-preview"
      data-testid="version-preview"
      src={preview.dataUrl}
      width={preview.width}
      height={preview.height}
      alt={`Preview of ${key}, version ${shortVersionId(versionId)}`}
    />
  );
}
