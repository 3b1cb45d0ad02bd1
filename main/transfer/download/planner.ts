import { existsSync } from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { DownloadPlan, PlannedDownload } from './engine';
import { baseOfKey, baseOfPrefix, relativePathFor, targetPath, versionedName } from './keyPaths';
import { plannedFolderProblem } from './safeFolders';

export interface VersionSelection {
  key: string;
  versionId: string;
}

export interface DownloadSelection {
  bucket: string;
  /** Single objects: each lands in the folder under its own file name. */
  keys: string[];
  /** Folders: each is recreated in the folder under its own name, with everything below it. */
  prefixes: string[];
  /** Specific versions: each lands under its file name, with the version in it when that clashes. */
  versions?: VersionSelection[];
}

export interface SkippedKey {
  key: string;
  reason: string;
}

export interface PlannedSelection {
  plan: DownloadPlan;
  skipped: SkippedKey[];
  totalBytes: number;
}

/**
 * Lists what a selection covers and where each object goes. Single keys are not looked up: their
 * size and ETag come with the GET, and a missing or forbidden one fails in the queue by name.
 */
export async function planDownload(
  client: S3Client,
  selection: DownloadSelection,
  folder: string,
  signal?: AbortSignal,
): Promise<PlannedSelection> {
  const objects: PlannedDownload[] = [];
  const skipped: SkippedKey[] = [];
  const seen = new Set<string>();
  const add = (key: string, base: string, size: number, etag: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const mapping = relativePathFor(key, base);
    if (!mapping.ok) {
      skipped.push({ key, reason: mapping.reason });
      return;
    }
    objects.push({
      key,
      target: targetPath(folder, mapping.relativePath),
      size,
      etag,
      ...(mapping.isFolderMarker ? { folderMarker: true } : {}),
    });
  };
  for (const key of selection.keys) add(key, baseOfKey(key), 0, '');
  for (const prefix of selection.prefixes) {
    const base = baseOfPrefix(prefix);
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: selection.bucket, Prefix: prefix, ContinuationToken }),
        signal ? { abortSignal: signal } : {},
      );
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) add(object.Key, base, object.Size ?? 0, object.ETag ?? '');
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }
  addVersions(selection.versions ?? [], folder, objects, skipped);
  const writable = await withoutLinkedFolders(folder, objects, skipped);
  return {
    plan: { bucket: selection.bucket, folder, objects: writable },
    skipped,
    totalBytes: writable.reduce((sum, object) => sum + object.size, 0),
  };
}

/** Objects whose folder on disk passes through a link or a file are skipped, saying which. */
async function withoutLinkedFolders(
  folder: string,
  objects: PlannedDownload[],
  skipped: SkippedKey[],
): Promise<PlannedDownload[]> {
  const seen = new Map<string, string | null>();
  const writable: PlannedDownload[] = [];
  for (const object of objects) {
    const problem = await plannedFolderProblem(
      folder,
      object.folderMarker ? path.join(object.target, 'marker') : object.target,
      seen,
    );
    if (problem) skipped.push({ key: object.key, reason: problem });
    else writable.push(object);
  }
  return writable;
}

/**
 * A version takes its key's file name unless another download of this selection or a file in
 * the folder has it, or other versions of the key are picked too: then the name says which
 * version it is ("hero (version 3HL4kqtJ).jpg"), so that versions never pass for each other.
 */
function addVersions(
  versions: readonly VersionSelection[],
  folder: string,
  objects: PlannedDownload[],
  skipped: SkippedKey[],
): void {
  const taken = new Set(objects.map((object) => object.target.toLowerCase()));
  const seen = new Set<string>();
  const picks = versions.filter(({ key, versionId }) => {
    const id = `${key}\0${versionId}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const perKey = new Map<string, number>();
  for (const { key } of picks) perKey.set(key, (perKey.get(key) ?? 0) + 1);
  for (const { key, versionId } of picks) {
    const mapping = relativePathFor(key, baseOfKey(key));
    if (!mapping.ok || mapping.isFolderMarker) {
      skipped.push({ key, reason: mapping.ok ? 'it is a folder marker' : mapping.reason });
      continue;
    }
    let target = targetPath(folder, mapping.relativePath);
    if (perKey.get(key)! > 1 || taken.has(target.toLowerCase()) || existsSync(target)) {
      target = versionedName(target, versionId);
    }
    taken.add(target.toLowerCase());
    objects.push({ key, versionId, target, size: 0, etag: '' });
  }
}
