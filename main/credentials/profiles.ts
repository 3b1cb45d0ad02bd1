import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { ConnectionProfileView } from '../../preload/contract';
import { readJsonFile, writePrivateFile, WriteQueue } from './privateFile';

export const PROFILE_KINDS = ['aws-profile', 'environment', 'access-key'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

const hostname = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

const endpointSchema = z
  .string()
  .trim()
  .refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL')
  // Keys belong in the key fields, where they are encrypted, never in a URL shown everywhere.
  .refine((text) => {
    try {
      const url = new URL(text);
      return !url.username && !url.password;
    } catch {
      return true;
    }
  }, 'must not contain a user name or password: enter keys in the key fields')
  .transform((text) => text.replace(/\/+$/, ''));

const bucketName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._-]+$/, 'is not a valid bucket name');

const profileFields = {
  name: z.string().trim().min(1).max(64),
  kind: z.enum(PROFILE_KINDS),
  /** The [profile NAME] of the AWS shared config or credentials file (kind aws-profile). */
  awsProfileName: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[\w\-@+.%:/]+$/, 'is not a valid AWS profile name')
    .optional(),
  endpoint: endpointSchema.optional(),
  // Lenient: S3-compatible stores use names such as "auto", "garage" or "nyc3".
  region: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a valid region name')
    .optional(),
  forcePathStyle: z.boolean().optional(),
  checksumMode: z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']),
  defaultBucket: bucketName.optional(),
  defaultPrefix: z.string().max(1024).optional(),
  /** Plain http to a private address, acknowledged by the user (main/s3/endpointSecurity.ts). */
  allowUnencrypted: z.boolean().optional(),
  caCertificate: z
    .string()
    .trim()
    .max(65_536)
    .regex(
      /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/,
      'must be a PEM certificate (-----BEGIN CERTIFICATE----- …)',
    )
    .optional(),
  /** bucket → CloudFront domain that serves it, for links to uploaded files. */
  cloudFrontDomains: z
    .record(
      bucketName,
      z.string().trim().toLowerCase().regex(hostname, 'must be a domain name, without https://'),
    )
    .optional(),
};

function kindRules(profile: { kind: ProfileKind; awsProfileName?: string }, ctx: z.RefinementCtx) {
  if (profile.kind === 'aws-profile' && !profile.awsProfileName) {
    ctx.addIssue({
      code: 'custom',
      path: ['awsProfileName'],
      message: 'an AWS profile connection needs the AWS profile name',
    });
  }
  if (profile.kind !== 'aws-profile' && profile.awsProfileName) {
    ctx.addIssue({
      code: 'custom',
      path: ['awsProfileName'],
      message: 'only AWS profile connections name an AWS profile',
    });
  }
}

/** What the user edits; also the IPC payload for saving (secrets travel separately). */
export const profileDraftSchema = z
  .strictObject({ id: z.uuid().optional(), ...profileFields })
  .superRefine(kindRules);
export type ProfileDraft = z.input<typeof profileDraftSchema>;

export const connectionProfileSchema = z
  .strictObject({
    id: z.uuid(),
    ...profileFields,
    /** bucket → region found by auto-detection, so that later requests go there directly. */
    bucketRegions: z.record(bucketName, z.string()).optional(),
  })
  .superRefine(kindRules);

/** A connection as stored in profiles.json. It holds no secret: those live in SecretStore. */
export type ConnectionProfile = z.output<typeof connectionProfileSchema>;

/** The only shape of a profile meant to reach the renderer: the contract's view. */
export type PublicProfile = ConnectionProfileView;

/** Copies fields by name, so a field added to the stored profile later never leaks by default. */
export function toPublicProfile(
  profile: ConnectionProfile,
  secret?: { accessKeyIdHint?: string },
): PublicProfile {
  const optional = <K extends keyof ConnectionProfile>(key: K) =>
    profile[key] === undefined ? {} : { [key]: structuredClone(profile[key]) };
  return {
    id: profile.id,
    name: profile.name,
    kind: profile.kind,
    ...optional('awsProfileName'),
    ...optional('endpoint'),
    ...optional('region'),
    ...optional('forcePathStyle'),
    checksumMode: profile.checksumMode,
    ...optional('defaultBucket'),
    ...optional('defaultPrefix'),
    ...optional('cloudFrontDomains'),
    ...optional('bucketRegions'),
    ...optional('allowUnencrypted'),
    ...optional('caCertificate'),
    hasSecret: secret !== undefined,
    ...(secret?.accessKeyIdHint ? { accessKeyIdHint: secret.accessKeyIdHint } : {}),
  };
}

export class ProfileNameTakenError extends Error {
  constructor(name: string) {
    super(`A connection named "${name}" already exists: choose another name`);
  }
}

export class ProfileNotFoundError extends Error {
  constructor(id: string) {
    super(`No connection with id ${id}: it may have been removed`);
  }
}

const fileSchema = z.object({ version: z.literal(1), profiles: z.array(connectionProfileSchema) });

/** Connection profiles in `profiles.json` of the app's data folder (mode 0600). */
export class ProfileStore {
  readonly file: string;
  private readonly writes = new WriteQueue();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'profiles.json');
  }

  async list(): Promise<ConnectionProfile[]> {
    const stored = await readJsonFile(this.file);
    if (stored === undefined) return [];
    const parsed = fileSchema.safeParse(stored);
    if (!parsed.success) {
      // Refusing beats dropping: the next save would otherwise erase the user's other profiles.
      throw new Error(
        `${this.file} is not a valid profiles file: ${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data.profiles;
  }

  async get(id: string): Promise<ConnectionProfile | undefined> {
    return (await this.list()).find((profile) => profile.id === id);
  }

  async findByName(name: string): Promise<ConnectionProfile | undefined> {
    const wanted = name.trim().toLowerCase();
    return (await this.list()).find((profile) => profile.name.toLowerCase() === wanted);
  }

  /** Creates a profile (no id) or replaces the one with the draft's id. */
  save(draft: ProfileDraft): Promise<ConnectionProfile> {
    return this.writes.run(async () => {
      const { id, ...fields } = profileDraftSchema.parse(draft);
      const profiles = await this.list();
      const index = id === undefined ? -1 : profiles.findIndex((profile) => profile.id === id);
      if (id !== undefined && index < 0) throw new ProfileNotFoundError(id);
      const previous = profiles[index];
      const clash = profiles.find(
        (profile) => profile.id !== id && profile.name.toLowerCase() === fields.name.toLowerCase(),
      );
      if (clash) throw new ProfileNameTakenError(fields.name);
      // Detected regions belong to one store and one account; another one voids them.
      const sameStore =
        previous &&
        previous.kind === fields.kind &&
        previous.endpoint === fields.endpoint &&
        previous.awsProfileName === fields.awsProfileName;
      const profile = connectionProfileSchema.parse({
        id: id ?? randomUUID(),
        ...fields,
        ...(sameStore && previous.bucketRegions ? { bucketRegions: previous.bucketRegions } : {}),
      });
      if (index < 0) profiles.push(profile);
      else profiles[index] = profile;
      await this.write(profiles);
      return profile;
    });
  }

  remove(id: string): Promise<boolean> {
    return this.writes.run(async () => {
      const profiles = await this.list();
      const remaining = profiles.filter((profile) => profile.id !== id);
      if (remaining.length === profiles.length) return false;
      await this.write(remaining);
      return true;
    });
  }

  /** Caches the region auto-detection found for a bucket. */
  rememberBucketRegion(id: string, bucket: string, region: string): Promise<void> {
    return this.writes.run(async () => {
      const profiles = await this.list();
      const profile = profiles.find((candidate) => candidate.id === id);
      if (!profile) throw new ProfileNotFoundError(id);
      profile.bucketRegions = { ...profile.bucketRegions, [bucket]: region };
      await this.write(profiles);
    });
  }

  private write(profiles: ConnectionProfile[]): Promise<void> {
    return writePrivateFile(this.file, `${JSON.stringify({ version: 1, profiles }, null, 2)}\n`);
  }
}
