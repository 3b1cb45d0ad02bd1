/** What support staff paste into the History view, understood as a bucket and a key or prefix. */
export interface ParsedTarget {
  /** Absent when the text names no bucket: the bucket picker's choice applies. */
  bucket?: string;
  path: string;
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname.replace(/\+/g, '%20'));
  } catch {
    return pathname;
  }
}

/**
 * Accepts `s3://bucket/key`, virtual-hosted URLs (`https://bucket.s3.region.amazonaws.com/key`),
 * path-style URLs (`https://endpoint/bucket/key`) and bare keys or prefixes. A trailing "/" means
 * a prefix.
 */
export function parseHistoryTarget(text: string): ParsedTarget {
  const trimmed = text.trim();
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(trimmed);
  if (s3) return { bucket: s3[1]!, path: s3[2]! };
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return { path: trimmed };
    }
    const path = decodePath(url.pathname.slice(1));
    const virtualHost = /^(.+)\.s3[.-]/i.exec(url.hostname);
    if (virtualHost) return { bucket: virtualHost[1]!, path };
    const slash = path.indexOf('/');
    return slash < 0
      ? { bucket: path, path: '' }
      : { bucket: path.slice(0, slash), path: path.slice(slash + 1) };
  }
  return { path: trimmed.replace(/^\/+/, '') };
}

/** A prefix (deleted files, point in time) rather than one object's history. */
export function isPrefix(path: string): boolean {
  return path === '' || path.endsWith('/');
}
