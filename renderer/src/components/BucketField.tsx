import { useApp, useController } from '../context';

/** Why the bucket is a text field; shown under the whole bar so the fields stay aligned. */
export function BucketError() {
  const controller = useController();
  const error = useApp((s) => s.bucketsError);
  if (error === null) return null;
  return (
    <p className="field-error destination-error" id="bucket-error">
      Buckets could not be listed, so type the bucket name. {error}{' '}
      <button type="button" className="link-button" onClick={() => void controller.loadBuckets()}>
        Try again
      </button>
    </p>
  );
}

/** A list of buckets when main can list them, a text field when it cannot. */
export function BucketField() {
  const controller = useController();
  const bucket = useApp((s) => s.destination.bucket);
  const buckets = useApp((s) => s.buckets);
  const listFailed = useApp((s) => s.bucketsError !== null);

  if (listFailed) {
    return (
      <label className="field field-bucket">
        <span className="field-label">Bucket</span>
        <input
          className="input"
          type="text"
          value={bucket}
          placeholder="my-photo-bucket"
          spellCheck={false}
          autoComplete="off"
          aria-describedby="bucket-error"
          data-testid="bucket-input"
          onChange={(event) => controller.setBucket(event.target.value)}
          onBlur={() => void controller.flushDestination()}
        />
      </label>
    );
  }

  const options =
    buckets !== null && bucket && !buckets.includes(bucket) ? [bucket, ...buckets] : buckets;
  return (
    <label className="field field-bucket">
      <span className="field-label">Bucket</span>
      <select
        className="input select"
        value={bucket}
        disabled={buckets === null}
        data-testid="bucket-select"
        onChange={(event) => controller.setBucket(event.target.value)}
      >
        <option value="" disabled>
          {buckets === null ? 'Loading buckets…' : 'Choose a bucket…'}
        </option>
        {options?.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
