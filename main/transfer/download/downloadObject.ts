import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  fetchToPartial,
  type FetchResult,
  moveIntoPlace,
  type OpenWriter,
  partialPathOf,
} from './fetchObject';
import { openPartial, type PartialRecord } from './partialFile';
import { ensureFolderInside } from './safeFolders';
import { verifyDownload } from './verify';

/** What the engine knows of one object to download, as journaled. */
export interface ObjectToDownload {
  bucket: string;
  /** The chosen download folder: nothing is written outside it. */
  folder: string;
  key: string;
  versionId?: string;
  target: string;
  size: number;
  etag: string;
  /** The partial file the journal created, if any: only its bytes are ever resumed. */
  partial?: PartialRecord;
}

export interface DownloadObjectHooks {
  signal: AbortSignal;
  openWriter: OpenWriter;
  platform: NodeJS.Platform;
  onStart(offset: number): void;
  onBytes(bytes: number): void;
  /** Journal these first: the partial's identity before its bytes, a new version before them. */
  onPartial(record: PartialRecord): Promise<void>;
  onNewVersion(version: { etag: string; size: number; reason?: string }): Promise<void>;
  onVerifying(): void;
}

export interface DownloadedObject {
  result: FetchResult;
  /** Where the file was saved: the target, or a "keep both" name next to it. */
  savedAs: string;
}

function sameRecord(a: PartialRecord | undefined, b: PartialRecord): boolean {
  return a?.etag === b.etag && a.dev === b.dev && a.ino === b.ino && a.bytes === b.bytes;
}

/**
 * One attempt at one object: the folder is made inside the chosen one, the partial file is
 * opened without following links and written through its handle, the bytes are verified, and
 * only then does the file take its name. When the attempt stops short, the journal records how
 * many bytes are on disk, the only bytes a later attempt will resume from.
 */
export async function downloadObject(
  client: S3Client,
  object: ObjectToDownload,
  hooks: DownloadObjectHooks,
): Promise<DownloadedObject> {
  await ensureFolderInside(object.folder, path.dirname(object.target));
  const file = partialPathOf(object.target);
  const partial = await openPartial(file, object.etag, object.partial, hooks.platform);
  const { handle } = partial;
  let record = partial.record;
  let finished = false;
  try {
    if (!sameRecord(object.partial, record)) await hooks.onPartial(record);
    const request = {
      Bucket: object.bucket,
      Key: object.key,
      ...(object.versionId ? { VersionId: object.versionId } : {}),
    };
    const result = await fetchToPartial(
      client,
      {
        bucket: object.bucket,
        key: object.key,
        ...(object.versionId ? { versionId: object.versionId } : {}),
        target: object.target,
        size: object.size,
        etag: object.etag,
      },
      partial,
      {
        signal: hooks.signal,
        openWriter: hooks.openWriter,
        onStart: hooks.onStart,
        onBytes: hooks.onBytes,
        onNewVersion: async (version) => {
          // The file now holds (or will hold) this version's bytes from zero.
          record = { etag: version.etag, dev: record.dev, ino: record.ino };
          await hooks.onPartial(record);
          await hooks.onNewVersion(version);
        },
      },
    );
    hooks.onVerifying();
    await verifyDownload(client, request, handle, result.etag, result.etagKind, hooks.signal);
    const savedAs = await moveIntoPlace(file, object.target, record, object.folder);
    finished = true;
    return { result, savedAs };
  } finally {
    if (!finished) {
      const bytes = (await handle.stat().catch(() => null))?.size;
      if (bytes !== undefined) await hooks.onPartial({ ...record, bytes }).catch(() => undefined);
    }
    await handle.close();
  }
}
