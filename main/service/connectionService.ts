import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type {
  ChecksumMode,
  ChecksumProbeResult,
  ConnectionDraft,
  ConnectionsOverview,
  ConnectionTestResult,
  SaveConnectionResult,
  SecretPatch,
} from '../../preload/contract';
import { listAwsProfiles } from '../credentials/awsConfigFiles';
import { type ChecksumMemory, detectChecksumMode } from '../credentials/checksumMemory';
import type { Connections } from '../credentials/connections';
import { WeakEncryptionError } from '../credentials/secretStore';
import { createS3Client } from '../s3/client';
import type { SettingsStore } from './settings';
import { UserFacingError } from './uploadService';

/** A zod complaint about a draft, in the words of the field it concerns. */
function explainInvalidDraft(error: unknown): never {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.join('.') || 'connection';
    throw new UserFacingError(`${field} ${issue?.message ?? 'is not valid'}`);
  }
  throw error;
}

/**
 * Connection profiles for the window, and the S3 clients built from them. Secrets go in through
 * save and test and never come back out: the window only ever sees public profiles.
 */
export class ConnectionService {
  private readonly clients = new Map<string, Promise<S3Client>>();
  /** What else holds data of a connection (its thumbnails) and must let go of it on removal. */
  private readonly removalListeners: Array<(id: string) => Promise<void>> = [];

  constructor(
    private readonly connections: Connections,
    private readonly settings: SettingsStore,
    private readonly maxSockets: number,
    /** Where the checksum mode found for each endpoint is kept; none: the setting as it is. */
    private readonly checksumMemory?: ChecksumMemory,
  ) {}

  /** One client per connection (and bucket, whose region may differ), reused across uploads. */
  clientFor(connectionId: string | undefined, bucket?: string, renew = false): Promise<S3Client> {
    const environmentMode = this.settings.get().checksumMode;
    const cacheKey = `${connectionId ?? `environment:${environmentMode}`}|${bucket ?? ''}`;
    if (renew) this.clients.delete(cacheKey);
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = (async () => {
        const settings = connectionId
          ? await this.connections.settingsFor(connectionId, bucket)
          : {
              checksumMode: environmentMode,
              allowUnencrypted: this.settings.get().allowUnencryptedEnvironmentEndpoint ?? false,
            };
        return createS3Client({ ...settings, maxSockets: this.maxSockets });
      })();
      client.catch(() => this.clients.delete(cacheKey));
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /**
   * The checksum mode of an upload to `bucket`. The default (CRC32) is kept only where the
   * endpoint verifies CRC32: other endpoints are probed once and remembered (detectChecksumMode).
   */
  async checksumModeFor(connectionId: string | undefined, bucket?: string): Promise<ChecksumMode> {
    let mode = this.settings.get().checksumMode;
    if (connectionId) {
      const profile = await this.connections.get(connectionId);
      if (!profile) throw new UserFacingError('That connection no longer exists: choose another.');
      mode = profile.checksumMode;
    }
    if (mode !== 'WHEN_SUPPORTED' || !this.checksumMemory || !bucket) return mode;
    const settings = connectionId ? await this.connections.settingsFor(connectionId, bucket) : {};
    return (await detectChecksumMode(this.checksumMemory, settings, bucket)).mode;
  }

  async overview(): Promise<ConnectionsOverview> {
    const [profiles, awsProfiles] = await Promise.all([
      this.connections.list(),
      listAwsProfiles().catch(() => []),
    ]);
    const strength = this.connections.encryptionStrength();
    return {
      profiles,
      awsProfiles: awsProfiles.map(({ name, kind, region }) => ({
        name,
        kind,
        ...(region ? { region } : {}),
      })),
      encryption: strength.strong ? { strong: true } : { strong: false, warning: strength.warning },
    };
  }

  async save(request: {
    draft: ConnectionDraft;
    secret?: SecretPatch;
    allowWeakEncryption?: boolean;
  }): Promise<SaveConnectionResult> {
    try {
      const saved = await this.connections.save(request.draft, request.secret ?? {}, {
        allowWeakEncryption: request.allowWeakEncryption ?? false,
      });
      this.forget(saved.id);
      return { saved };
    } catch (error) {
      if (error instanceof WeakEncryptionError) return { needsConsent: error.message };
      return explainInvalidDraft(error);
    }
  }

  async remove(request: { id: string }): Promise<null> {
    await this.connections.remove(request.id);
    this.forget(request.id);
    await Promise.all(this.removalListeners.map((listener) => listener(request.id)));
    if (this.settings.get().activeConnectionId === request.id) {
      await this.settings.update({ activeConnectionId: null });
    }
    return null;
  }

  async test(request: {
    id?: string;
    draft?: ConnectionDraft;
    secret?: SecretPatch;
    bucket?: string;
  }): Promise<ConnectionTestResult> {
    const target = request.draft
      ? { draft: request.draft, ...(request.secret ? { secret: request.secret } : {}) }
      : request.id
        ? { id: request.id }
        : null;
    if (!target) throw new UserFacingError('Choose a connection to test.');
    const result = await this.connections
      .test(target, request.bucket ? { bucket: request.bucket } : {})
      .catch(explainInvalidDraft);
    if (request.id) this.forget(request.id);
    return result;
  }

  /** "Detect checksum mode": the answer is also remembered for the connection's endpoint. */
  async probe(request: { id: string; bucket: string }): Promise<ChecksumProbeResult> {
    const result = await this.connections.probeChecksums(request.id, request.bucket);
    const { endpoint } = await this.connections.settingsFor(request.id, request.bucket);
    if (endpoint && this.checksumMemory) await this.checksumMemory.remember(endpoint, result);
    return result;
  }

  onRemoved(listener: (id: string) => Promise<void>): void {
    this.removalListeners.push(listener);
  }

  private forget(connectionId: string): void {
    for (const key of this.clients.keys()) {
      if (key.startsWith(`${connectionId}|`)) this.clients.delete(key);
    }
  }
}
