import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * What the AWS shared config and credentials files say about each profile, read the way the AWS
 * SDK reads them, for listing and for precise messages. Secret values are dropped while parsing:
 * only the SDK's own providers ever see them.
 */

export type AwsProfileKind =
  'static' | 'assume-role' | 'process' | 'sso' | 'web-identity' | 'login' | 'incomplete';

export interface AwsProfileSummary {
  name: string;
  kind: AwsProfileKind;
  region?: string;
  /** The S3 endpoint_url of the profile or of its `services` section. */
  endpoint?: string;
  sourceProfile?: string;
  /** The profile whose `aws sso login` refreshes this one: itself or one it assumes a role from. */
  ssoProfile?: string;
}

const SECRET_KEYS = new Set(['aws_secret_access_key', 'aws_session_token']);
const SECTION_TYPES = new Set(['profile', 'sso-session', 'services']);
const PREFIXED_SECTION = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;

type Sections = Map<string, Map<string, string>>;

function homeDir(): string {
  return process.env.HOME || process.env.USERPROFILE || os.homedir();
}

function expandHome(file: string): string {
  return file.startsWith('~/') ? path.join(homeDir(), file.slice(2)) : file;
}

/** The files the SDK reads, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
export function awsConfigPaths(): { config: string; credentials: string } {
  return {
    config: expandHome(process.env.AWS_CONFIG_FILE || path.join(homeDir(), '.aws', 'config')),
    credentials: expandHome(
      process.env.AWS_SHARED_CREDENTIALS_FILE || path.join(homeDir(), '.aws', 'credentials'),
    ),
  };
}

/** The SDK's INI dialect: `[type name]` sections, and `key =` opening indented sub-keys. */
function parseIni(text: string): Sections {
  const sections: Sections = new Map();
  let section: Map<string, string> | undefined;
  let subSection: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.split(/(^|\s)[;#]/)[0]!.trim();
    if (line.startsWith('[') && line.endsWith(']')) {
      const header = line.slice(1, -1);
      const prefixed = PREFIXED_SECTION.exec(header);
      const name = prefixed
        ? SECTION_TYPES.has(prefixed[1]!)
          ? `${prefixed[1]} ${prefixed[3]}`
          : undefined
        : header;
      section = undefined;
      subSection = undefined;
      if (name !== undefined) {
        section = sections.get(name) ?? new Map();
        sections.set(name, section);
      }
      continue;
    }
    if (!section) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (value === '') {
      subSection = key;
      continue;
    }
    if (subSection && rawLine.trimStart() === rawLine) subSection = undefined;
    const fullKey = subSection ? `${subSection}.${key}` : key;
    section.set(fullKey, SECRET_KEYS.has(fullKey) ? '' : value);
  }
  return sections;
}

async function readIni(file: string): Promise<Sections> {
  try {
    return parseIni(await fs.readFile(file, 'utf8'));
  } catch {
    // The SDK treats a missing or unreadable file as empty; so do we.
    return new Map();
  }
}

interface ParsedFiles {
  profiles: Sections;
  all: Sections;
}

async function readFiles(): Promise<ParsedFiles> {
  const paths = awsConfigPaths();
  const [config, credentials] = await Promise.all([
    readIni(paths.config),
    readIni(paths.credentials),
  ]);
  const profiles: Sections = new Map();
  const merge = (name: string, values: Map<string, string>) =>
    profiles.set(name, new Map([...(profiles.get(name) ?? []), ...values]));
  for (const [name, values] of config) {
    // In the config file only `default` may omit the `profile ` prefix.
    if (name === 'default') merge(name, values);
    else if (name.startsWith('profile ')) merge(name.slice('profile '.length), values);
  }
  for (const [name, values] of credentials) merge(name, values);
  return { profiles, all: config };
}

/** The same order of precedence as the SDK's resolveProfileData. */
function kindOf(values: Map<string, string>): AwsProfileKind {
  const has = (key: string) => values.has(key);
  if (has('role_arn') && (has('source_profile') || has('credential_source'))) return 'assume-role';
  if (has('aws_access_key_id') && has('aws_secret_access_key')) return 'static';
  if (has('web_identity_token_file') && has('role_arn')) return 'web-identity';
  if (has('credential_process')) return 'process';
  if (['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'].some(has)) {
    return 'sso';
  }
  if (has('login_session')) return 'login';
  return 'incomplete';
}

function summarize(name: string, files: ParsedFiles): AwsProfileSummary | undefined {
  const values = files.profiles.get(name);
  if (!values) return undefined;
  const kind = kindOf(values);
  const services = values.get('services');
  const endpoint =
    (services ? files.all.get(`services ${services}`)?.get('s3.endpoint_url') : undefined) ??
    values.get('endpoint_url');
  let ssoProfile: string | undefined;
  const visited = new Set<string>();
  for (let current: string | undefined = name; current && !visited.has(current);) {
    visited.add(current);
    const currentValues = files.profiles.get(current);
    if (currentValues && kindOf(currentValues) === 'sso') {
      ssoProfile = current;
      break;
    }
    current = currentValues?.get('source_profile');
  }
  return {
    name,
    kind,
    ...(values.get('region') ? { region: values.get('region') } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(values.get('source_profile') ? { sourceProfile: values.get('source_profile') } : {}),
    ...(ssoProfile ? { ssoProfile } : {}),
  };
}

export async function listAwsProfiles(): Promise<AwsProfileSummary[]> {
  const files = await readFiles();
  return [...files.profiles.keys()]
    .sort((a, b) => a.localeCompare(b))
    .map((name) => summarize(name, files)!);
}

export async function findAwsProfile(name: string): Promise<AwsProfileSummary | undefined> {
  return summarize(name, await readFiles());
}
