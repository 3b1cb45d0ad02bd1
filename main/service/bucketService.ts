import type {
  BucketOverview,
  BucketSetupStep,
  NewBucketRequest,
  ObjectAccessReport,
  UploadOptions,
  UploadOptionsCheck,
} from '../../preload/contract';
import { checkObjectAccess } from '../buckets/accessCheck';
import { bucketNameProblems } from '../buckets/bucketName';
import { createBucketSafely } from '../buckets/createBucket';
import { bucketOverview } from '../buckets/overview';
import { checkAclAllowed, checkTaggingSupported, type Finding } from '../buckets/probes';
import { validateUploadOptions } from '../transfer/uploadOptions';
import type { SettingsStore } from './settings';
import { type ClientProvider, UserFacingError } from './uploadService';

export interface BucketServiceDeps {
  settings: SettingsStore;
  clients: ClientProvider;
}

/**
 * Bucket setup and the checks made before a batch with upload options starts. Store answers
 * about a bucket (tags supported, ACL allowed) are asked once per connection and bucket: they do
 * not change between two batches, and each costs requests.
 */
export class BucketService {
  private readonly findings = new Map<string, Promise<Finding>>();

  constructor(private readonly deps: BucketServiceDeps) {}

  async checkUploadOptions(request: {
    bucket: string;
    options: UploadOptions;
  }): Promise<UploadOptionsCheck> {
    const { bucket, options } = request;
    const problems = validateUploadOptions(options);
    const notices: string[] = [];
    if (!bucket) return { problems, notices };
    if (options.tags?.length) {
      const tagging = await this.remembered('tagging', bucket, (client) =>
        checkTaggingSupported(client, bucket),
      );
      if (tagging.verdict === 'no') problems.push({ field: 'tags', message: tagging.message });
      if (tagging.verdict === 'unknown') notices.push(tagging.message);
    }
    if (options.acl) {
      const acl = options.acl;
      const finding = await this.remembered(`acl:${acl}`, bucket, (client) =>
        checkAclAllowed(client, bucket, acl),
      );
      if (finding.verdict === 'no') problems.push({ field: 'acl', message: finding.message });
      if (finding.verdict === 'unknown') notices.push(finding.message);
    }
    return { problems, notices };
  }

  async createBucket(request: NewBucketRequest): Promise<BucketSetupStep[]> {
    const problems = bucketNameProblems(request.name);
    if (problems.length > 0) {
      throw new UserFacingError(
        `"${request.name}" is not a valid bucket name: ${problems.join('; ')}.`,
      );
    }
    const client = await this.deps.clients.clientFor(this.connectionId());
    const region = request.region || (await client.config.region());
    return createBucketSafely(client, { ...request, region });
  }

  async bucketOverview(request: { bucket: string }): Promise<BucketOverview> {
    const client = await this.deps.clients.clientFor(this.connectionId(), request.bucket);
    return bucketOverview(client, request.bucket);
  }

  async objectAccess(request: { bucket: string; key: string }): Promise<ObjectAccessReport> {
    const client = await this.deps.clients.clientFor(this.connectionId(), request.bucket);
    return checkObjectAccess(client, request.bucket, request.key);
  }

  private connectionId(): string | undefined {
    return this.deps.settings.get().activeConnectionId ?? undefined;
  }

  private remembered(
    check: string,
    bucket: string,
    run: (client: Awaited<ReturnType<ClientProvider['clientFor']>>) => Promise<Finding>,
  ): Promise<Finding> {
    const connectionId = this.connectionId();
    const key = `${connectionId ?? 'environment'}|${bucket}|${check}`;
    let finding = this.findings.get(key);
    if (!finding) {
      finding = this.deps.clients.clientFor(connectionId, bucket).then(run);
      // Only a firm answer is kept: an unknown one may be a passing network failure.
      void finding.then(
        (value) => value.verdict === 'unknown' && this.findings.delete(key),
        () => this.findings.delete(key),
      );
      this.findings.set(key, finding);
    }
    return finding;
  }
}
