import { createWriteStream, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DownloadError, isObjectChanged } from './errors';
import { keepBothName, PARTIAL_SUFFIX } from './keyPaths';
import { type OpenedPartial, type PartialRecord, stillNames } from './partialFile';
import { ensureFolderInside } from './safeFolders';
import { type EtagKind, etagKindOf } from './verify';

/**
 * Writes into the open partial file from `offset` (never by path, which a link could redirect);
 * replaceable so tests can make the disk fail. The handle stays open: its owner closes it.
 */
export type OpenWriter = (handle: FileHandle, offset: number) => Writable;

// Through the descriptor: a FileHandle's own streams keep it referenced, so close() would wait.
export const writeAtOffset: OpenWriter = (handle, offset) =>
  createWriteStream('', { fd: handle.fd, start: offset, autoClose: false });

export interface FetchRequest {
  bucket: string;
  key: string;
  /** A specific version of the key; absent for whatever version is the latest. */
  versionId?: string;
  target: string;
  /** What the bytes on disk belong to, as journaled. */
  size: number;
  etag: string;
}

export interface FetchHooks {
  signal: AbortSignal;
  openWriter: OpenWriter;
  /** The bytes already on disk, before anything is asked of the server. */
  onStart(offset: number): void;
  onBytes(bytes: number): void;
  /** The object is another one than the bytes on disk (or than planned): journal it first. */
  onNewVersion(version: { etag: string; size: number; reason?: string }): Promise<void>;
}

export interface FetchResult {
  etag: string;
  size: number;
  /** The bytes were fetched with a ranged GET, after this many bytes already on disk. */
  resumedFrom: number;
  /** How the ETag relates to the bytes: what verifying them can rely on. */
  etagKind: EtagKind;
}

/** The connection ended before the whole body arrived; worth another try from where it stopped. */
export class IncompleteBodyError extends Error {
  override readonly name = 'IncompleteBodyError';
}

export const CHANGED_REASON =
  'The object changed on the server since the download started: downloading it again from the start.';

export function partialPathOf(target: string): string {
  return `${target}${PARTIAL_SUFFIX}`;
}

/**
 * Brings the partial file of one object up to date: from what is already on disk with a ranged
 * GET that asks for the same version (If-Match), or from zero when the object changed.
 */
export async function fetchToPartial(
  client: S3Client,
  request: FetchRequest,
  partial: OpenedPartial,
  hooks: FetchHooks,
): Promise<FetchResult> {
  const { handle } = partial;
  const object = {
    Bucket: request.bucket,
    Key: request.key,
    ...(request.versionId ? { VersionId: request.versionId } : {}),
  };
  let offset = partial.offset;
  let { etag, size } = request;
  // Bytes of an unknown version (no ETag journaled) cannot be resumed safely.
  if (offset > size || (offset > 0 && !etag)) {
    await handle.truncate(0);
    offset = 0;
  }
  hooks.onStart(offset);
  let resumedFrom = offset;
  let changed = false;
  if (offset > 0 && offset === size) {
    try {
      const head = await client.send(new HeadObjectCommand({ ...object, IfMatch: etag }), {
        abortSignal: hooks.signal,
      });
      return {
        etag,
        size,
        resumedFrom,
        etagKind: etagKindOf(etag, head.ServerSideEncryption, Boolean(head.SSECustomerAlgorithm)),
      };
    } catch (error) {
      if (!isObjectChanged(error)) throw error;
      changed = true;
    }
  }
  let response: GetObjectCommandOutput | undefined;
  if (!changed) {
    try {
      response = await client.send(
        new GetObjectCommand({
          ...object,
          ...(offset > 0 ? { Range: `bytes=${offset}-`, IfMatch: etag } : {}),
        }),
        { abortSignal: hooks.signal },
      );
    } catch (error) {
      if (!(offset > 0 && isObjectChanged(error))) throw error;
      changed = true;
    }
  }
  if (changed || !response) {
    // Old bytes are never spliced with the new version's.
    await handle.truncate(0);
    resumedFrom = 0;
    hooks.onStart(0);
    response = await client.send(new GetObjectCommand(object), { abortSignal: hooks.signal });
    etag = response.ETag ?? etag;
    size = response.ContentLength ?? size;
    await hooks.onNewVersion({ etag, size, reason: CHANGED_REASON });
  } else if (offset === 0 && response.ETag && response.ETag !== etag) {
    etag = response.ETag;
    size = response.ContentLength ?? size;
    await hooks.onNewVersion({ etag, size });
  }
  const body = response.Body as NodeJS.ReadableStream | undefined;
  if (body) {
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hooks.onBytes(chunk.length);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, hooks.openWriter(handle, resumedFrom), {
        signal: hooks.signal,
      });
    } catch (error) {
      if (hooks.signal.aborted || (error as NodeJS.ErrnoException).syscall) throw error;
      throw new IncompleteBodyError((error as Error).message);
    }
  }
  const received = (await handle.stat()).size;
  if (received < size) {
    throw new IncompleteBodyError(`the server sent ${received} of ${size} bytes`);
  }
  if (received > size) {
    await handle.truncate(0);
    throw new DownloadError(
      `the server sent ${received} bytes for an object of ${size}: the file was discarded, retry to download it again`,
    );
  }
  return {
    etag,
    size,
    resumedFrom,
    etagKind: etagKindOf(
      etag,
      response.ServerSideEncryption,
      Boolean(response.SSECustomerAlgorithm),
    ),
  };
}

/**
 * Gives the complete file its name. An existing file is never overwritten: the download keeps
 * both, as "name (1).jpg". A hard link claims a free name atomically; where the file system has
 * no hard links, a check before the rename has to do.
 */
export async function moveIntoPlace(
  partial: string,
  target: string,
  record: PartialRecord,
  root: string,
): Promise<string> {
  for (let n = 0; n < 10_000; n++) {
    const candidate = n === 0 ? target : keepBothName(target, n);
    // Checked right before the name is taken: the folder is still inside the chosen one, and
    // the partial file is still the one written (not a link or a file swapped in meanwhile).
    await ensureFolderInside(root, path.dirname(candidate));
    if (!(await stillNames(partial, record))) {
      throw new DownloadError(
        `${partial} was replaced while downloading: the download was not saved, retry it`,
      );
    }
    try {
      await fs.link(partial, candidate);
      await fs.unlink(partial);
      return candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') {
        throw error;
      }
      if (await exists(candidate)) continue;
      await fs.rename(partial, candidate);
      return candidate;
    }
  }
  throw new DownloadError(`no free name next to ${target}`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}
