import { randomUUID } from 'node:crypto';
import { type ChecksumProbeResult, probeChecksumMode } from './checksumProbe';
import { endpointOrigin } from './endpointOrigin';
import { CredentialsError } from './problems';
import {
  type ConnectionProfile,
  connectionProfileSchema,
  type ProfileDraft,
  profileDraftSchema,
  ProfileNotFoundError,
  ProfileStore,
  type PublicProfile,
  toPublicProfile,
} from './profiles';
import { connectionSettingsFor, credentialSourceOf, type ProfileSettings } from './resolve';
import {
  IncompleteSecretError,
  isEmptyPatch,
  type SecretBinding,
  type SecretCipher,
  type SecretPatch,
  secretPatchSchema,
  SecretStore,
  SecretUnreadableError,
} from './secretStore';
import { type ConnectionTestResult, testConnection } from './testConnection';

export interface SaveOptions {
  /** The user agreed to store the secret without strong encryption (see encryptionStrength). */
  allowWeakEncryption?: boolean;
}

/**
 * What the app's main process calls: profiles and their secrets together, answering with
 * PublicProfile only, so that nothing handed to IPC can carry a secret.
 */
export class Connections {
  readonly profiles: ProfileStore;
  readonly secrets: SecretStore;

  constructor(dataDir: string, cipher: SecretCipher) {
    this.profiles = new ProfileStore(dataDir);
    this.secrets = new SecretStore(dataDir, cipher);
  }

  encryptionStrength() {
    return this.secrets.encryptionStrength();
  }

  async list(): Promise<PublicProfile[]> {
    const [profiles, hints] = await Promise.all([this.profiles.list(), this.secrets.hints()]);
    return profiles.map((profile) => toPublicProfile(profile, hints.get(profile.id)));
  }

  async get(id: string): Promise<PublicProfile | undefined> {
    return (await this.list()).find((profile) => profile.id === id);
  }

  /**
   * Saves a profile and, for an access key, the fields of the secret that changed. Throws
   * WeakEncryptionError before writing anything when the secret could not be stored strongly.
   */
  async save(
    draft: ProfileDraft,
    secret: SecretPatch = {},
    options: SaveOptions = {},
  ): Promise<PublicProfile> {
    const parsed = profileDraftSchema.parse(draft);
    const patch = secretPatchSchema.parse(secret);
    const binding = await this.bindingFor(parsed.id, parsed.endpoint);
    if (parsed.kind === 'access-key') {
      const stored = parsed.id !== undefined && (await this.secrets.has(parsed.id));
      if (!stored && !(patch.accessKeyId && patch.secretAccessKey)) {
        throw new IncompleteSecretError();
      }
      // Before anything is written: a stored secret must not follow a changed endpoint.
      if (stored) await this.secrets.merged(parsed.id!, patch, binding);
      if (!isEmptyPatch(patch)) this.secrets.assertCanStore(options);
    } else if (!isEmptyPatch(patch)) {
      throw new Error('Only access key connections store a key and secret.');
    }
    const profile = await this.profiles.save(draft);
    if (profile.kind === 'access-key') {
      await this.secrets.update(profile.id, patch, options, binding);
    } else await this.secrets.remove(profile.id);
    return (await this.get(profile.id))!;
  }

  async remove(id: string): Promise<boolean> {
    await this.secrets.remove(id);
    return this.profiles.remove(id);
  }

  /** Settings for createS3Client (add maxSockets), with the region cached for the bucket. */
  async settingsFor(id: string, bucket?: string): Promise<ProfileSettings> {
    return connectionSettingsFor(await this.require(id), {
      secrets: this.secrets,
      ...(bucket ? { bucket } : {}),
    });
  }

  /**
   * Tests a saved profile, or unsaved edits (a draft and the changed secret fields). A region
   * found for the bucket of a saved profile is remembered for later uploads.
   */
  async test(
    target: { id: string } | { draft: ProfileDraft; secret?: SecretPatch },
    options: { bucket?: string } = {},
  ): Promise<ConnectionTestResult> {
    let settings: ProfileSettings;
    let profile: ConnectionProfile;
    let saved: boolean;
    try {
      const resolved = await this.resolveTarget(target);
      ({ profile, saved } = resolved);
      settings = await connectionSettingsFor(profile, {
        secrets: resolved.secrets,
        ...(options.bucket ? { bucket: options.bucket } : {}),
      });
    } catch (error) {
      if (error instanceof CredentialsError) {
        return { ok: false, problem: error.problem, message: error.message };
      }
      if (error instanceof IncompleteSecretError || error instanceof SecretUnreadableError) {
        return { ok: false, problem: 'no-credentials', message: error.message };
      }
      throw error;
    }
    const result = await testConnection(settings, {
      ...(options.bucket ? { bucket: options.bucket } : {}),
      source: credentialSourceOf(profile),
    });
    if (result.ok && options.bucket && result.detectedRegion) {
      if (!saved) {
        return {
          ...result,
          message: `${result.message} Set the region to ${result.detectedRegion}.`,
        };
      }
      await this.profiles.rememberBucketRegion(profile.id, options.bucket, result.detectedRegion);
      return {
        ...result,
        message: `${result.message} Bucketdrop remembers this and uses ${result.detectedRegion} for it.`,
      };
    }
    return result;
  }

  /** Finds the checksum mode the store accepts; the caller saves it if the user agrees. */
  async probeChecksums(id: string, bucket: string): Promise<ChecksumProbeResult> {
    return probeChecksumMode(await this.settingsFor(id, bucket), bucket);
  }

  private async require(id: string): Promise<ConnectionProfile> {
    const profile = await this.profiles.get(id);
    if (!profile) throw new ProfileNotFoundError(id);
    return profile;
  }

  /** The origin a secret is for, with the one the saved connection had until now. */
  private async bindingFor(
    id: string | undefined,
    endpoint: string | undefined,
  ): Promise<SecretBinding> {
    const previous = id === undefined ? undefined : await this.profiles.get(id);
    return {
      origin: endpointOrigin(endpoint),
      ...(previous ? { legacyOrigin: endpointOrigin(previous.endpoint) } : {}),
    };
  }

  private async resolveTarget(
    target: { id: string } | { draft: ProfileDraft; secret?: SecretPatch },
  ) {
    if ('id' in target) {
      return { profile: await this.require(target.id), secrets: this.secrets, saved: true };
    }
    const { id, ...fields } = profileDraftSchema.parse(target.draft);
    const previous = id === undefined ? undefined : await this.require(id);
    const profile = connectionProfileSchema.parse({
      id: id ?? randomUUID(),
      ...fields,
      ...(previous?.bucketRegions ? { bucketRegions: previous.bucketRegions } : {}),
    });
    const merged =
      profile.kind === 'access-key'
        ? await this.secrets.merged(
            profile.id,
            target.secret ?? {},
            await this.bindingFor(id, profile.endpoint),
          )
        : undefined;
    return { profile, secrets: { get: async () => merged }, saved: false };
  }
}
