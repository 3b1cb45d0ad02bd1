import type { ChecksumMode } from '../s3/checksums';
import {
  connectionSettingsFor,
  findNamedProfile,
  type ProfileSettings,
} from '../credentials/resolve';
import { userDataDir } from '../transfer/dataDir';
import { UsageError } from './usage';

export interface ConnectionFlags {
  profile?: string;
  endpoint?: string;
  region?: string;
  'path-style'?: boolean;
}

export interface CliConnection {
  settings: Omit<ProfileSettings, 'checksumMode'>;
  /** The app profile's checksum mode, used when --checksum is not given. */
  checksumMode?: ChecksumMode;
}

/**
 * `--profile NAME` names a connection of the app, else an AWS profile; the other flags override
 * what the profile says. Without --profile the SDK's standard chain applies, as before.
 */
export async function cliConnection(
  flags: ConnectionFlags,
  options: { bucket?: string; dataDir?: string } = {},
): Promise<CliConnection> {
  const overrides = {
    // The command line's acknowledgement of plain http to a private address.
    ...(process.env.BUCKETDROP_ALLOW_UNENCRYPTED === '1' ? { allowUnencrypted: true } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags['path-style'] ? { forcePathStyle: true } : {}),
  };
  if (!flags.profile) return { settings: overrides };
  const named = await findNamedProfile(flags.profile, options.dataDir ?? userDataDir());
  if (!named) {
    throw new UsageError(
      `no profile named "${flags.profile}": \`bucketdrop profiles\` lists the app's connections and the AWS profiles`,
    );
  }
  const profile =
    named.kind === 'app'
      ? named.profile
      : {
          id: '',
          name: named.awsProfileName,
          kind: 'aws-profile' as const,
          awsProfileName: named.awsProfileName,
          checksumMode: 'WHEN_SUPPORTED' as const,
        };
  const { checksumMode, ...settings } = await connectionSettingsFor(
    profile,
    options.bucket ? { bucket: options.bucket } : {},
  );
  return {
    settings: { ...settings, ...overrides },
    ...(named.kind === 'app' ? { checksumMode } : {}),
  };
}
