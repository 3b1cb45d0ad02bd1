import {
  GetBucketVersioningCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type {
  BrowseObject,
  BucketVersioning,
  ListPage,
  ListPageRequest,
} from '../../preload/contract';

/** Rows per request: enough to fill a screen twice, small enough that the first rows show at once. */
export const PAGE_SIZE = 500;

/** One page of a folder, delimited by `/`, so sub-folders come back as prefixes. */
export async function listPage(
  client: S3Client,
  request: ListPageRequest,
  pageSize = PAGE_SIZE,
): Promise<ListPage> {
  const firstPage = request.continuationToken === undefined;
  const [page, versioning] = await Promise.all([
    client.send(
      new ListObjectsV2Command({
        Bucket: request.bucket,
        Prefix: request.prefix + (request.startsWith ?? ''),
        Delimiter: '/',
        MaxKeys: pageSize,
        ...(request.continuationToken ? { ContinuationToken: request.continuationToken } : {}),
      }),
    ),
    firstPage ? bucketVersioning(client, request.bucket) : undefined,
  ]);
  return {
    prefixes: (page.CommonPrefixes ?? []).map((p) => p.Prefix!).filter(Boolean),
    // The folder's own zero-byte marker is the folder itself, not a row in it.
    objects: (page.Contents ?? [])
      .filter((object) => object.Key !== undefined && object.Key !== request.prefix)
      .map(toBrowseObject),
    continuationToken: page.IsTruncated ? (page.NextContinuationToken ?? null) : null,
    ...(versioning ? { versioning } : {}),
  };
}

export function toBrowseObject(object: {
  Key?: string;
  Size?: number;
  LastModified?: Date;
  ETag?: string;
  StorageClass?: string;
}): BrowseObject {
  return {
    key: object.Key!,
    size: object.Size ?? 0,
    lastModified: object.LastModified?.toISOString() ?? null,
    etag: object.ETag ?? '',
    storageClass: object.StorageClass ?? 'STANDARD',
  };
}

/** The bucket's versioning status; "unknown" when the credentials may not read it. */
export async function bucketVersioning(
  client: S3Client,
  bucket: string,
): Promise<BucketVersioning> {
  try {
    const response = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    if (response.Status === 'Enabled' || response.Status === 'Suspended') return response.Status;
    return 'Off';
  } catch {
    return 'unknown';
  }
}

/** Every key under a prefix, page by page (for deleting or listing a folder recursively). */
export async function* keysUnder(client: S3Client, bucket: string, prefix: string) {
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }),
    );
    for (const object of page.Contents ?? []) if (object.Key) yield toBrowseObject(object);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
}
