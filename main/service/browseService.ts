import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type {
  DeleteReport,
  DeleteRequest,
  ListPage,
  ListPageRequest,
  ObjectDetails,
  ShareLinks,
  ShareLinksRequest,
  Thumbnail,
  ThumbnailRequest,
} from '../../preload/contract';
import { deleteObjects } from '../browse/deletion';
import { objectDetails } from '../browse/details';
import { createFolder, folderKey } from '../browse/folders';
import { shareLinks } from '../browse/links';
import { keysUnder, listPage } from '../browse/listing';
import { ThumbnailCache, type ThumbnailScope } from '../browse/thumbnailCache';
import { Thumbnailer } from '../browse/thumbnails';
import type { ImageDecoder } from '../imaging/imageDecoder';
import type { ConnectionService } from './connectionService';
import type { SettingsStore } from './settings';
import { UserFacingError } from './uploadService';

/** Thumbnails kept on disk: about 20,000 of them. */
export const THUMBNAIL_CACHE_BYTES = 200 * 1024 * 1024;

export interface BrowseServiceDeps {
  dataDir: string;
  settings: SettingsStore;
  connections: ConnectionService;
  /** Decodes thumbnails outside main. */
  imageDecoder: ImageDecoder;
  thumbnailCacheBytes?: number;
}

/** Where a client sends its requests: its endpoint, or AWS in its region. */
async function endpointOf(client: S3Client): Promise<string> {
  const endpoint = await client.config.endpoint?.();
  if (!endpoint) return `aws:${await client.config.region()}`;
  const port = endpoint.port ? `:${endpoint.port}` : '';
  return `${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path}`;
}

/** The bucket browser's requests, with the connection that uploads use. */
export class BrowseService {
  private constructor(
    private readonly deps: BrowseServiceDeps,
    private readonly thumbnailer: Thumbnailer,
    private readonly thumbnails: ThumbnailCache,
  ) {}

  static async create(deps: BrowseServiceDeps): Promise<BrowseService> {
    const cache = await ThumbnailCache.open(
      path.join(deps.dataDir, 'thumbnails'),
      deps.thumbnailCacheBytes ?? THUMBNAIL_CACHE_BYTES,
    );
    return new BrowseService(deps, new Thumbnailer(cache, deps.imageDecoder), cache);
  }

  async listPage(request: ListPageRequest): Promise<ListPage> {
    return listPage(await this.client(request.bucket), request);
  }

  async objectDetails(request: { bucket: string; key: string }): Promise<ObjectDetails> {
    return objectDetails(await this.client(request.bucket), request.bucket, request.key);
  }

  async thumbnail(request: ThumbnailRequest): Promise<Thumbnail> {
    const client = await this.client(request.bucket);
    const scope: ThumbnailScope = {
      connection: this.deps.settings.get().activeConnectionId ?? 'environment',
      endpoint: await endpointOf(client),
    };
    return this.thumbnailer.thumbnail(client, request, scope);
  }

  /** A removed connection's thumbnails go with it. */
  forgetConnection(connectionId: string): Promise<void> {
    return this.thumbnails.forgetConnection(connectionId);
  }

  async createFolder(request: { bucket: string; prefix: string; name: string }): Promise<{
    key: string;
  }> {
    const target = folderKey(request.prefix, request.name);
    if (!target.ok) throw new UserFacingError(target.error);
    await createFolder(await this.client(request.bucket), request.bucket, target.key);
    return { key: target.key };
  }

  async deleteObjects(request: DeleteRequest): Promise<DeleteReport> {
    return deleteObjects(
      await this.client(request.bucket),
      request.bucket,
      request.keys,
      request.prefixes,
    );
  }

  /** How many objects lie under these folders, for the question before deleting them. */
  async countUnder(bucket: string, prefixes: string[]): Promise<number> {
    const client = await this.client(bucket);
    let count = 0;
    for (const prefix of prefixes) {
      for await (const _object of keysUnder(client, bucket, prefix)) count++;
    }
    return count;
  }

  async shareLinks(request: ShareLinksRequest): Promise<ShareLinks> {
    const connectionId = this.deps.settings.get().activeConnectionId;
    const profile = connectionId
      ? (await this.deps.connections.overview()).profiles.find((p) => p.id === connectionId)
      : undefined;
    const cloudFrontDomain = profile?.cloudFrontDomains?.[request.bucket];
    return shareLinks(await this.client(request.bucket), request.bucket, request.key, {
      expiresInSeconds: request.expiresInSeconds,
      ...(cloudFrontDomain ? { cloudFrontDomain } : {}),
    });
  }

  private client(bucket: string): Promise<S3Client> {
    const connectionId = this.deps.settings.get().activeConnectionId ?? undefined;
    return this.deps.connections.clientFor(connectionId, bucket);
  }
}
