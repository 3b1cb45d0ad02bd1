import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface IncompleteUpload {
  key: string;
  uploadId: string;
  initiated: Date | undefined;
}

export async function listIncompleteUploads(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<IncompleteUpload[]> {
  const uploads: IncompleteUpload[] = [];
  let KeyMarker: string | undefined;
  let UploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker,
        UploadIdMarker,
      }),
    );
    for (const upload of page.Uploads ?? []) {
      if (upload.Key && upload.UploadId) {
        uploads.push({ key: upload.Key, uploadId: upload.UploadId, initiated: upload.Initiated });
      }
    }
    if (!page.IsTruncated) return uploads;
    KeyMarker = page.NextKeyMarker;
    UploadIdMarker = page.NextUploadIdMarker;
  }
}

export interface OrphanSweep {
  aborted: IncompleteUpload[];
  kept: IncompleteUpload[];
}

/**
 * Aborts incomplete uploads that S3 keeps billing for. Without an age, every upload that no local
 * journal will finish goes. With an age, only older uploads go, journaled or not, so that a
 * colleague's upload in progress under the same prefix survives; a journaled one that goes is
 * restarted on resume.
 */
export async function abortOrphanUploads(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: { journaledUploadIds: ReadonlySet<string>; olderThanMs?: number; now?: number },
): Promise<OrphanSweep> {
  const now = options.now ?? Date.now();
  const sweep: OrphanSweep = { aborted: [], kept: [] };
  for (const upload of await listIncompleteUploads(client, bucket, prefix)) {
    const age = upload.initiated ? now - upload.initiated.getTime() : Infinity;
    const doomed =
      options.olderThanMs === undefined
        ? !options.journaledUploadIds.has(upload.uploadId)
        : age >= options.olderThanMs;
    if (!doomed) {
      sweep.kept.push(upload);
      continue;
    }
    await client.send(
      new AbortMultipartUploadCommand({
        Bucket: bucket,
        Key: upload.key,
        UploadId: upload.uploadId,
      }),
    );
    sweep.aborted.push(upload);
  }
  return sweep;
}
