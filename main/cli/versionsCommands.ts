import { keyHistoryPages, listVersionsPage, type VersionEntry } from '../versions/history';
import { restoreVersion } from '../versions/restore';
import { CONNECTION_OPTIONS, parse, s3Argument } from './args';
import { UsageError } from './usage';
import { auditFor, print, versionsClient } from './versionsCli';

interface VersionsSummary {
  keys: number;
  versions: number;
  markers: number;
  /** Bytes of every version kept (what the versions cost in storage). */
  bytes: number;
}

function printEntry(json: boolean | undefined, entry: VersionEntry, showKey: boolean): void {
  const kind = entry.isDeleteMarker ? 'delete marker' : `${entry.size ?? 0} bytes`;
  print(
    json,
    { type: entry.isDeleteMarker ? 'marker' : 'version', ...entry },
    `${entry.isLatest ? '*' : ' '} ${showKey ? `${entry.key}  ` : ''}${entry.versionId}  ${entry.lastModified.toISOString()}  ${kind}`,
  );
}

/**
 * Every entry under a prefix, streamed page by page (a key's entries newest first), counted as
 * they pass. A key's history may span two pages: it is counted once.
 */
async function listPrefix(
  client: Awaited<ReturnType<typeof versionsClient>>,
  bucket: string,
  prefix: string,
  json: boolean | undefined,
): Promise<VersionsSummary> {
  const summary: VersionsSummary = { keys: 0, versions: 0, markers: 0, bytes: 0 };
  let lastKey: string | undefined;
  let cursor: Parameters<typeof listVersionsPage>[1]['cursor'];
  do {
    const page = await listVersionsPage(client, { bucket, prefix, ...(cursor && { cursor }) });
    for (const entry of page.entries) {
      if (entry.key !== lastKey) summary.keys++;
      lastKey = entry.key;
      if (entry.isDeleteMarker) summary.markers++;
      else {
        summary.versions++;
        summary.bytes += entry.size ?? 0;
      }
      printEntry(json, entry, true);
    }
    cursor = page.next;
  } while (cursor);
  return summary;
}

/**
 * `bucketdrop versions s3://b/key`: every version and delete marker of that key, newest first;
 * `s3://b/folder/` (or a bucket): of every key under it, with a summary.
 */
export async function versions(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, CONNECTION_OPTIONS);
  if (positionals.length !== 1)
    throw new UsageError('versions takes one s3://bucket/key or s3://bucket/folder/');
  const { bucket, key } = s3Argument(positionals[0]!);
  const client = await versionsClient(values, bucket);
  let summary: VersionsSummary;
  if (key === '' || key.endsWith('/')) {
    summary = await listPrefix(client, bucket, key, values.json);
  } else {
    summary = { keys: 0, versions: 0, markers: 0, bytes: 0 };
    for await (const page of keyHistoryPages(client, bucket, key)) {
      summary.keys = 1;
      for (const entry of page) {
        if (entry.isDeleteMarker) summary.markers++;
        else {
          summary.versions++;
          summary.bytes += entry.size ?? 0;
        }
        printEntry(values.json, entry, false);
      }
    }
    if (summary.keys === 0) {
      const under = await listVersionsPage(client, { bucket, prefix: `${key}/`, maxKeys: 1 });
      process.stderr.write(
        under.entries.length > 0
          ? `s3://${bucket}/${key} has no versions, but it is a folder: ask for s3://${bucket}/${key}/\n`
          : `s3://${bucket}/${key} has no versions and no delete markers: no such key\n`,
      );
      return 1;
    }
  }
  print(
    values.json,
    { type: 'summary', ...summary },
    `${summary.keys} keys, ${summary.versions} versions, ${summary.markers} delete markers, ${summary.bytes} bytes in versions`,
  );
  return 0;
}

/** `bucketdrop restore s3://b/key --version-id V`: a server-side copy, nothing is deleted. */
export async function restore(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_OPTIONS,
    'version-id': { type: 'string' },
  });
  const versionId = values['version-id'];
  if (positionals.length !== 1 || !versionId) {
    throw new UsageError('restore takes one s3://bucket/key and --version-id');
  }
  const { bucket, key } = s3Argument(positionals[0]!);
  const client = await versionsClient(values, bucket);
  const result = await restoreVersion(
    client,
    { bucket, key, versionId },
    { audit: auditFor(values) },
  );
  print(
    values.json,
    result,
    `restored ${key} to version ${versionId}: new latest version ${result.newVersionId ?? '(unknown)'}`,
  );
  return 0;
}
