import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { ConnectionSettings } from '../s3/client';
import { awsConfigPaths, findAwsProfile } from './awsConfigFiles';
import { type CredentialSource, CredentialsError, diagnoseCredentialError } from './problems';
import { type ConnectionProfile, ProfileStore } from './profiles';
import { endpointOrigin } from './endpointOrigin';
import { IncompleteSecretError, type SecretStore, SecretUnreadableError } from './secretStore';

type Credentials = NonNullable<ConnectionSettings['credentials']>;
type CredentialProvider = Extract<Credentials, (...args: never[]) => unknown>;
type StaticCredentials = Exclude<Credentials, CredentialProvider>;

/** Everything createS3Client needs but the socket limits, which belong to the caller. */
export type ProfileSettings = Omit<ConnectionSettings, 'maxSockets' | 'idleTimeoutMs'>;

export interface ResolveOptions {
  /** Needed for access-key profiles; a SecretStore, or a stand-in holding unsaved edits. */
  secrets?: Pick<SecretStore, 'get'>;
  /** Picks the region auto-detection cached for this bucket. */
  bucket?: string;
}

export function credentialSourceOf(profile: ConnectionProfile): CredentialSource {
  return profile.kind === 'aws-profile'
    ? { kind: 'aws-profile', awsProfileName: profile.awsProfileName! }
    : { kind: profile.kind };
}

/**
 * Wraps an SDK provider so that its failures, wherever they surface (a test, an upload, the
 * command line), say what to fix rather than the SDK's internals.
 */
function explained(provider: CredentialProvider, source: CredentialSource): CredentialProvider {
  return async (properties) => {
    try {
      return await provider(properties);
    } catch (error) {
      const { problem, message } = await diagnoseCredentialError(error, source);
      throw new CredentialsError(problem, message);
    }
  };
}

async function accessKeyCredentials(
  profile: ConnectionProfile,
  secrets: ResolveOptions['secrets'],
): Promise<StaticCredentials> {
  if (!secrets) {
    throw new CredentialsError(
      'no-credentials',
      `Connection "${profile.name}" keeps its access key in the desktop app's encrypted store, ` +
        'which the command line cannot open: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ' +
        '(with --endpoint URL for an S3-compatible store), or use an AWS profile from ~/.aws.',
    );
  }
  let secret;
  try {
    secret = await secrets.get(profile.id, { origin: endpointOrigin(profile.endpoint) });
  } catch (error) {
    if (error instanceof SecretUnreadableError || error instanceof IncompleteSecretError) {
      throw new CredentialsError('no-credentials', error.message);
    }
    throw error;
  }
  if (!secret) {
    throw new CredentialsError(
      'no-credentials',
      `No access key is stored for connection "${profile.name}": edit it and enter the access key ID and secret.`,
    );
  }
  return {
    accessKeyId: secret.accessKeyId,
    secretAccessKey: secret.secretAccessKey,
    ...(secret.sessionToken ? { sessionToken: secret.sessionToken } : {}),
  };
}

/** A profile as createS3Client settings: its credentials, endpoint, region and checksum mode. */
export async function connectionSettingsFor(
  profile: ConnectionProfile,
  options: ResolveOptions = {},
): Promise<ProfileSettings> {
  const source = credentialSourceOf(profile);
  let region =
    (options.bucket ? profile.bucketRegions?.[options.bucket] : undefined) ?? profile.region;
  let endpoint = profile.endpoint;
  let credentials: StaticCredentials | CredentialProvider;
  if (source.kind === 'aws-profile') {
    const awsProfile = await findAwsProfile(source.awsProfileName);
    if (!awsProfile) {
      const paths = awsConfigPaths();
      throw new CredentialsError(
        'no-credentials',
        `AWS profile "${source.awsProfileName}" is in neither ${paths.config} nor ${paths.credentials}: check its name (or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE).`,
      );
    }
    // createS3Client would fall back to AWS_REGION, and the SDK reads endpoint_url from the
    // AWS_PROFILE profile only, never from the one given to fromIni.
    region ??= awsProfile.region;
    endpoint ??= awsProfile.endpoint;
    // ignoreCache: files edited while the app runs (a new `aws sso login`) are read again.
    credentials = explained(fromIni({ profile: source.awsProfileName, ignoreCache: true }), source);
  } else if (source.kind === 'environment') {
    credentials = explained(fromNodeProviderChain({ ignoreCache: true }), source);
  } else {
    credentials = await accessKeyCredentials(profile, options.secrets);
  }
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(profile.forcePathStyle !== undefined ? { forcePathStyle: profile.forcePathStyle } : {}),
    ...(profile.allowUnencrypted ? { allowUnencrypted: true } : {}),
    ...(profile.caCertificate ? { caCertificate: profile.caCertificate } : {}),
    checksumMode: profile.checksumMode,
    credentials,
  };
}

export type NamedProfile =
  { kind: 'app'; profile: ConnectionProfile } | { kind: 'aws'; awsProfileName: string };

/**
 * The command line's `--profile NAME`: a connection of the app when one has that name,
 * otherwise a profile of the AWS shared files, as it always meant.
 */
export async function findNamedProfile(
  name: string,
  dataDir: string,
): Promise<NamedProfile | undefined> {
  const profile = await new ProfileStore(dataDir).findByName(name);
  if (profile) return { kind: 'app', profile };
  if (await findAwsProfile(name)) return { kind: 'aws', awsProfileName: name };
  return undefined;
}
