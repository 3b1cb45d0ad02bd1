/** Versions differ by seconds, so their times show seconds too. */
export function formatMoment(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' });
}

/**
 * Version ids are long opaque strings; the table shows both ends (timestamp-like ids, as Swift
 * makes, differ only at the end) and the title the whole id.
 */
export function shortVersionId(versionId: string): string {
  return versionId.length > 16 ? `${versionId.slice(0, 6)}…${versionId.slice(-8)}` : versionId;
}

/** The value of a datetime-local input for a moment, in the user's time zone. */
export function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

/** A datetime-local input's value (local time) as ISO 8601, or null when incomplete. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
