import { parseArgs } from 'node:util';
import {
  type AwsProfileKind,
  awsConfigPaths,
  listAwsProfiles,
} from '../credentials/awsConfigFiles';
import { ProfileStore, type PublicProfile, toPublicProfile } from '../credentials/profiles';
import { SecretStore } from '../credentials/secretStore';
import { userDataDir } from '../transfer/dataDir';
import { UsageError } from './usage';

const AWS_KINDS: Record<AwsProfileKind, string> = {
  static: 'access key',
  'assume-role': 'assume role',
  process: 'credential_process',
  sso: 'SSO',
  'web-identity': 'web identity',
  login: 'console login',
  incomplete: 'no credentials',
};

function appKind(profile: PublicProfile): string {
  if (profile.kind === 'aws-profile') return `AWS profile ${profile.awsProfileName}`;
  return profile.kind === 'environment' ? 'environment' : 'access key (app only)';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd(),
    )
    .join('\n');
}

const DEFAULT_ENDPOINTS: Record<PublicProfile['kind'], string> = {
  'aws-profile': '(from AWS profile)',
  environment: '(from environment)',
  'access-key': 'AWS',
};

function checksumFlag(mode: PublicProfile['checksumMode']): string {
  return mode === 'WHEN_SUPPORTED' ? 'when-supported' : 'when-required';
}

/** `bucketdrop profiles`: the app's connections and the AWS profiles, never a secret. */
export async function profiles(argv: string[]): Promise<number> {
  let json: boolean | undefined;
  try {
    const parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
    json = parsed.values.json;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const dataDir = userDataDir();
  const store = new ProfileStore(dataDir);
  const [stored, hints, awsProfiles] = await Promise.all([
    store.list(),
    new SecretStore(dataDir).hints(),
    listAwsProfiles(),
  ]);
  const appProfiles = stored.map((profile) => toPublicProfile(profile, hints.get(profile.id)));
  const out = (text: string) => process.stdout.write(`${text}\n`);
  if (json) {
    for (const profile of appProfiles) {
      out(
        JSON.stringify({
          type: 'app-profile',
          name: profile.name,
          kind: profile.kind,
          awsProfile: profile.awsProfileName,
          endpoint: profile.endpoint,
          region: profile.region,
          pathStyle: profile.forcePathStyle,
          checksum: checksumFlag(profile.checksumMode),
          defaultBucket: profile.defaultBucket,
          defaultPrefix: profile.defaultPrefix,
          cloudFrontDomains: profile.cloudFrontDomains,
          hasSecret: profile.hasSecret,
        }),
      );
    }
    for (const profile of awsProfiles) {
      out(
        JSON.stringify({
          type: 'aws-profile',
          name: profile.name,
          kind: profile.kind,
          region: profile.region,
        }),
      );
    }
    return 0;
  }
  if (appProfiles.length === 0) {
    out(`No app connections yet (they are added in the app and kept in ${store.file}).`);
  } else {
    out(`App connections (${store.file}):`);
    out(
      table([
        ['NAME', 'KIND', 'ENDPOINT', 'REGION', 'CHECKSUM', 'DEFAULT DESTINATION'],
        ...appProfiles.map((profile) => [
          profile.name,
          appKind(profile),
          profile.endpoint ?? DEFAULT_ENDPOINTS[profile.kind],
          profile.region ?? '-',
          checksumFlag(profile.checksumMode),
          profile.defaultBucket
            ? `s3://${profile.defaultBucket}/${profile.defaultPrefix ?? ''}`
            : '-',
        ]),
      ]),
    );
  }
  const paths = awsConfigPaths();
  out('');
  if (awsProfiles.length === 0) {
    out(`No AWS profiles in ${paths.config} or ${paths.credentials}.`);
  } else {
    out(`AWS profiles (${paths.config}, ${paths.credentials}):`);
    out(
      table([
        ['NAME', 'KIND', 'REGION'],
        ...awsProfiles.map((profile) => [
          profile.name,
          profile.sourceProfile
            ? `${AWS_KINDS[profile.kind]} (from ${profile.sourceProfile})`
            : AWS_KINDS[profile.kind],
          profile.region ?? '-',
        ]),
      ]),
    );
  }
  out('');
  out(
    'Use one with --profile NAME (an app connection of that name first, else the AWS profile). ' +
      'Access key connections keep their secret in the app: the command line uses environment ' +
      'variables or AWS profiles instead.',
  );
  return 0;
}
