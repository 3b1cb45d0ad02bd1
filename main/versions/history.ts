/**
 * Version history as the stores list it: every version and delete marker, newest first, read
 * lazily one ListObjectVersions page at a time so a key with thousands of versions shows its
 * first page at once.
 */
import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

export interface VersionEntry {
  key: string;
  versionId: string;
  isDeleteMarker: boolean;
  isLatest: boolean;
  lastModified: Date;
  /** Absent for delete markers. */
  size?: number;
  etag?: string;
  storageClass?: string;
}

/** Where the next page starts; opaque to callers, who only pass it back. */
export interface VersionCursor {
  keyMarker: string;
  versionIdMarker?: string;
}

export interface VersionPage {
  entries: VersionEntry[];
  /** Absent when there is nothing more to load. */
  next?: VersionCursor;
}

export interface ListVersionsOptions {
  bucket: string;
  prefix: string;
  /** Keep only entries of exactly this key (Prefix alone also matches `key2`, `key/x` ...). */
  exactKey?: boolean;
  /** Entries per request (the server may return fewer); S3's default and maximum is 1,000. */
  maxKeys?: number;
  cursor?: VersionCursor;
  abortSignal?: AbortSignal;
}

function compareUtf8(a: string, b: string): number {
  // S3 lists keys in UTF-8 byte order, which differs from JS's UTF-16 order above U+FFFF.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function numericId(versionId: string): number | undefined {
  const n = Number(versionId);
  return versionId !== '' && versionId !== 'null' && Number.isFinite(n) ? n : undefined;
}

/**
 * The SDK splits a page into Versions and DeleteMarkers, losing the server's interleaving; this
 * puts them back: keys in S3 order, and within a key newest first (latest flag, then time, then
 * numeric version ids where the store uses timestamps, as Swift does, for same-second entries).
 */
export function compareEntries(a: VersionEntry, b: VersionEntry): number {
  const byKey = compareUtf8(a.key, b.key);
  if (byKey !== 0) return byKey;
  if (a.isLatest !== b.isLatest) return a.isLatest ? -1 : 1;
  const byTime = b.lastModified.getTime() - a.lastModified.getTime();
  if (byTime !== 0) return byTime;
  const na = numericId(a.versionId);
  const nb = numericId(b.versionId);
  return na !== undefined && nb !== undefined ? nb - na : 0;
}

/** Reads one page. Pass `page.next` back as `cursor` for the following one. */
export async function listVersionsPage(
  client: S3Client,
  options: ListVersionsOptions,
): Promise<VersionPage> {
  const { bucket, prefix, exactKey = false, maxKeys, cursor, abortSignal } = options;
  const response = await client.send(
    new ListObjectVersionsCommand({
      Bucket: bucket,
      Prefix: prefix,
      ...(maxKeys !== undefined && { MaxKeys: maxKeys }),
      ...(cursor && { KeyMarker: cursor.keyMarker }),
      ...(cursor?.versionIdMarker !== undefined && { VersionIdMarker: cursor.versionIdMarker }),
    }),
    abortSignal ? { abortSignal } : {},
  );
  const all: VersionEntry[] = [];
  for (const v of response.Versions ?? []) {
    all.push({
      key: v.Key ?? '',
      versionId: v.VersionId ?? 'null',
      isDeleteMarker: false,
      isLatest: v.IsLatest ?? false,
      lastModified: v.LastModified ?? new Date(0),
      ...(v.Size !== undefined && { size: v.Size }),
      ...(v.ETag !== undefined && { etag: v.ETag }),
      ...(v.StorageClass !== undefined && { storageClass: v.StorageClass }),
    });
  }
  for (const m of response.DeleteMarkers ?? []) {
    all.push({
      key: m.Key ?? '',
      versionId: m.VersionId ?? 'null',
      isDeleteMarker: true,
      isLatest: m.IsLatest ?? false,
      lastModified: m.LastModified ?? new Date(0),
    });
  }
  all.sort(compareEntries);

  let next: VersionCursor | undefined;
  if (response.IsTruncated) {
    const last = all.at(-1);
    const serverMarker = response.NextVersionIdMarker;
    if (response.NextKeyMarker && serverMarker && serverMarker !== 'null') {
      next = { keyMarker: response.NextKeyMarker, versionIdMarker: serverMarker };
    } else if (last) {
      // Swift 2.30 always answers NextVersionIdMarker "null", and continuing from it skips the
      // rest of the key's versions. Continuing from the page's last entry is what S3 means by
      // the markers anyway (and on S3 gives the same result for a real "null" version).
      next = { keyMarker: last.key, versionIdMarker: last.versionId };
    } else if (response.NextKeyMarker) {
      next = { keyMarker: response.NextKeyMarker };
    }
  }

  if (!exactKey) return next ? { entries: all, next } : { entries: all };
  const entries = all.filter((entry) => entry.key === prefix);
  // Every other key under this prefix is longer, so it sorts after the key itself: once one
  // shows up, the key's history is complete and paging on would only read other keys.
  const done = entries.length < all.length;
  return next && !done ? { entries, next } : { entries };
}

function advanced(previous: VersionCursor | undefined, next: VersionCursor | undefined): boolean {
  // A store repeating the same markers would otherwise make the loops below spin forever.
  if (next && previous && next.keyMarker === previous.keyMarker) {
    if (next.versionIdMarker === previous.versionIdMarker) {
      throw new Error('the store returned the same listing position twice; stopping');
    }
  }
  return next !== undefined;
}

/** Pages of one key's history, newest first, fetched only as the caller asks for them. */
export async function* keyHistoryPages(
  client: S3Client,
  bucket: string,
  key: string,
  options: { pageSize?: number; abortSignal?: AbortSignal } = {},
): AsyncGenerator<VersionEntry[], void, void> {
  let cursor: VersionCursor | undefined;
  do {
    const page = await listVersionsPage(client, {
      bucket,
      prefix: key,
      exactKey: true,
      ...(options.pageSize !== undefined && { maxKeys: options.pageSize }),
      ...(options.abortSignal && { abortSignal: options.abortSignal }),
      ...(cursor && { cursor }),
    });
    // A page can hold only other keys' entries (or none) and still be followed by more of ours
    // only if it was cut short; skip empty pages rather than handing them out.
    if (page.entries.length > 0) yield page.entries;
    const previous = cursor;
    cursor = page.next;
    if (!advanced(previous, cursor)) break;
  } while (cursor);
}

/** One key's complete history, newest first. */
export interface KeyHistory {
  key: string;
  entries: VersionEntry[];
}

/**
 * Every key under a prefix with its whole history, one key at a time as the listing pages come
 * in: a key is handed out once a later key (or the end) shows its history is complete, so a
 * prefix of 100,000 keys is planned without holding all of its versions at once.
 */
export async function* keyHistories(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: { pageSize?: number; abortSignal?: AbortSignal; onPage?: () => void } = {},
): AsyncGenerator<KeyHistory, void, void> {
  let current: KeyHistory | undefined;
  let cursor: VersionCursor | undefined;
  do {
    const page = await listVersionsPage(client, {
      bucket,
      prefix,
      ...(options.pageSize !== undefined && { maxKeys: options.pageSize }),
      ...(options.abortSignal && { abortSignal: options.abortSignal }),
      ...(cursor && { cursor }),
    });
    options.onPage?.();
    for (const entry of page.entries) {
      if (current?.key === entry.key) {
        current.entries.push(entry);
        continue;
      }
      if (current) yield current;
      current = { key: entry.key, entries: [entry] };
    }
    const previous = cursor;
    cursor = page.next;
    if (!advanced(previous, cursor)) break;
  } while (cursor);
  if (current) yield current;
}

/** Every entry under a prefix (all keys), for planners that need the whole picture. */
export async function listAllVersions(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: { pageSize?: number; abortSignal?: AbortSignal } = {},
): Promise<VersionEntry[]> {
  const entries: VersionEntry[] = [];
  let cursor: VersionCursor | undefined;
  do {
    const page = await listVersionsPage(client, {
      bucket,
      prefix,
      ...(options.pageSize !== undefined && { maxKeys: options.pageSize }),
      ...(options.abortSignal && { abortSignal: options.abortSignal }),
      ...(cursor && { cursor }),
    });
    entries.push(...page.entries);
    const previous = cursor;
    cursor = page.next;
    if (!advanced(previous, cursor)) break;
  } while (cursor);
  return entries;
}

/** The newest entry that is a real version (not a delete marker), reading only as far as needed. */
export async function newestRealVersion(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ above: VersionEntry[]; version?: VersionEntry }> {
  const above: VersionEntry[] = [];
  for await (const page of keyHistoryPages(client, bucket, key)) {
    for (const entry of page) {
      if (!entry.isDeleteMarker) return { above, version: entry };
      above.push(entry);
    }
  }
  return { above };
}
