import type {
  AwsProfileOption,
  BucketdropApi,
  ChecksumMode,
  ConnectionDraft,
  ConnectionProfileView,
  ConnectionTestResult,
  ProfileKind,
  SecretPatch,
} from '../../preload/contract';
import { plural } from './format';

export const KIND_LABELS: Record<ProfileKind, string> = {
  'aws-profile': 'AWS profile',
  environment: 'Environment',
  'access-key': 'Access key',
};

export const KIND_HINTS: Record<ProfileKind, string> = {
  'aws-profile':
    'A profile from your AWS config files (~/.aws/config and ~/.aws/credentials), including SSO and assumed roles.',
  environment:
    'The credentials Bucketdrop was started with: AWS_* variables, AWS_PROFILE or an instance role.',
  'access-key': 'An access key ID and secret, stored encrypted on this computer.',
};

export const CHECKSUM_OPTIONS: readonly { value: ChecksumMode; label: string; hint: string }[] = [
  {
    value: 'WHEN_SUPPORTED',
    label: 'CRC32',
    hint: 'Every part carries a CRC32 that the store verifies; for AWS and most current stores.',
  },
  {
    value: 'WHEN_REQUIRED',
    label: 'Content-MD5',
    hint: 'Every part carries an MD5 instead, for older stores that reject newer checksums.',
  },
];

/** One "bucket → CloudFront domain" line of the editor; `key` only keeps React rows stable. */
export interface CloudFrontRow {
  key: number;
  bucket: string;
  domain: string;
}

/** What the connection editor edits: plain text per field, so any field can be empty. */
export interface ConnectionForm {
  name: string;
  kind: ProfileKind;
  awsProfileName: string;
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  /** Plain http to a private address, acknowledged: main refuses it otherwise. */
  allowUnencrypted: boolean;
  /** A PEM CA certificate for a self-signed store; empty for none. */
  caCertificate: string;
  checksumMode: ChecksumMode;
  defaultBucket: string;
  defaultPrefix: string;
  cloudFront: CloudFrontRow[];
}

/**
 * The secret fields as typed, null while untouched. These live only in the editor's own state,
 * never in the store, and go to main as a SecretPatch holding just what the user changed.
 */
export interface SecretInputs {
  accessKeyId: string | null;
  secretAccessKey: string | null;
  sessionToken: string | null;
}

export const UNTOUCHED_SECRET: SecretInputs = {
  accessKeyId: null,
  secretAccessKey: null,
  sessionToken: null,
};

export type FormField =
  | 'name'
  | 'awsProfileName'
  | 'accessKeyId'
  | 'secretAccessKey'
  | 'endpoint'
  | 'region'
  | 'defaultBucket'
  | 'cloudFront';

export type FormErrors = Partial<Record<FormField, string>>;

let nextRowKey = 0;

export function cloudFrontRow(bucket = '', domain = ''): CloudFrontRow {
  return { key: ++nextRowKey, bucket, domain };
}

/** A new connection: the first AWS profile when there is one, otherwise an access key. */
export function newForm(awsProfiles: readonly AwsProfileOption[]): ConnectionForm {
  const first = awsProfiles[0];
  return {
    name: '',
    kind: first ? 'aws-profile' : 'access-key',
    awsProfileName: first?.name ?? '',
    endpoint: '',
    region: '',
    forcePathStyle: false,
    allowUnencrypted: false,
    caCertificate: '',
    checksumMode: 'WHEN_SUPPORTED',
    defaultBucket: '',
    defaultPrefix: '',
    cloudFront: [],
  };
}

export function formFromProfile(profile: ConnectionProfileView): ConnectionForm {
  return {
    name: profile.name,
    kind: profile.kind,
    awsProfileName: profile.awsProfileName ?? '',
    endpoint: profile.endpoint ?? '',
    region: profile.region ?? '',
    forcePathStyle: profile.forcePathStyle ?? false,
    allowUnencrypted: profile.allowUnencrypted ?? false,
    caCertificate: profile.caCertificate ?? '',
    checksumMode: profile.checksumMode,
    defaultBucket: profile.defaultBucket ?? '',
    defaultPrefix: profile.defaultPrefix ?? '',
    cloudFront: Object.entries(profile.cloudFrontDomains ?? {}).map(([bucket, domain]) =>
      cloudFrontRow(bucket, domain),
    ),
  };
}

const BUCKET = /^[A-Za-z0-9._-]{1,255}$/;
const REGION = /^[A-Za-z0-9_-]{1,64}$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

function endpointError(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a full URL such as https://s3.example.com.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'The endpoint must start with https:// or http://.';
  }
  if (url.username || url.password) {
    return 'Leave keys out of the URL: enter them in the key fields.';
  }
  return null;
}

/** People paste "https://cdn.example.com/"; main wants the bare domain. */
export function normalizeDomain(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
}

function cloudFrontDomains(
  rows: readonly CloudFrontRow[],
): { ok: true; value: Record<string, string> } | { ok: false; error: string; row: number } {
  const value: Record<string, string> = {};
  for (const row of rows) {
    const bucket = row.bucket.trim();
    const domain = normalizeDomain(row.domain);
    const problem = (error: string) => ({ ok: false as const, error, row: row.key });
    if (!bucket && !domain) continue;
    if (!bucket || !domain)
      return problem('Each CloudFront line needs both a bucket and a domain.');
    if (!BUCKET.test(bucket)) return problem(`"${bucket}" is not a valid bucket name.`);
    if (!HOSTNAME.test(domain)) return problem(`"${row.domain.trim()}" is not a domain name.`);
    if (Object.hasOwn(value, bucket)) {
      return problem(`The bucket ${bucket} has more than one CloudFront domain.`);
    }
    value[bucket] = domain;
  }
  return { ok: true, value };
}

/** Whether the typed secret fields hold something to store. */
function typed(value: string | null): value is string {
  return value !== null && value.trim() !== '';
}

/**
 * Only the secret fields the user changed. An emptied session token removes the stored one
 * (null); emptied key fields keep what is stored. Undefined when nothing changed, and always for
 * kinds that store no secret.
 */
export function secretPatch(
  kind: ProfileKind,
  inputs: SecretInputs,
  hasSecret: boolean,
): SecretPatch | undefined {
  if (kind !== 'access-key') return undefined;
  const patch: SecretPatch = {};
  if (typed(inputs.accessKeyId)) patch.accessKeyId = inputs.accessKeyId.trim();
  if (typed(inputs.secretAccessKey)) patch.secretAccessKey = inputs.secretAccessKey.trim();
  if (typed(inputs.sessionToken)) patch.sessionToken = inputs.sessionToken.trim();
  else if (inputs.sessionToken !== null && hasSecret) patch.sessionToken = null;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

export type DraftCheck =
  | { ok: true; draft: ConnectionDraft; secret: SecretPatch | undefined }
  /** `cloudFrontRow`: the key of the CloudFront line at fault, to focus it. */
  | { ok: false; errors: FormErrors; cloudFrontRow?: number };

/**
 * Checks what the editor can check on its own, so mistakes show next to their field, and builds
 * the draft main validates again. Empty fields are left out rather than sent as "".
 * `forTest` lets an unnamed connection be tested: the name only matters once it is saved.
 */
export function buildDraft(
  form: ConnectionForm,
  inputs: SecretInputs,
  saved: ConnectionProfileView | null,
  options: { forTest?: boolean; ignoreSecret?: boolean } = {},
): DraftCheck {
  const errors: FormErrors = {};
  const name = form.name.trim() || (options.forTest ? 'New connection' : '');
  if (!name) errors.name = 'Give the connection a name.';
  else if (name.length > 64) errors.name = 'Keep the name to 64 characters or fewer.';

  const awsProfileName = form.awsProfileName.trim();
  if (form.kind === 'aws-profile' && !awsProfileName) {
    errors.awsProfileName = 'Choose the AWS profile to use.';
  }

  const hasSecret = saved?.hasSecret === true && saved.kind === 'access-key';
  if (form.kind === 'access-key' && !hasSecret && !options.ignoreSecret) {
    if (!typed(inputs.accessKeyId)) errors.accessKeyId = 'Enter the access key ID.';
    if (!typed(inputs.secretAccessKey)) errors.secretAccessKey = 'Enter the secret access key.';
  }

  const endpoint = form.endpoint.trim();
  const endpointProblem = endpoint ? endpointError(endpoint) : null;
  if (endpointProblem) errors.endpoint = endpointProblem;

  const region = form.region.trim();
  if (region && !REGION.test(region)) {
    errors.region = 'A region is letters, digits and dashes, such as eu-west-1.';
  }

  const defaultBucket = form.defaultBucket.trim();
  if (defaultBucket && !BUCKET.test(defaultBucket)) {
    errors.defaultBucket = 'A bucket name is letters, digits, dots, dashes and underscores.';
  }

  const domains = cloudFrontDomains(form.cloudFront);
  if (!domains.ok) errors.cloudFront = domains.error;

  if (!domains.ok) return { ok: false, errors, cloudFrontRow: domains.row };
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const draft: ConnectionDraft = { name, kind: form.kind, checksumMode: form.checksumMode };
  if (saved) draft.id = saved.id;
  if (form.kind === 'aws-profile') draft.awsProfileName = awsProfileName;
  if (endpoint) draft.endpoint = endpoint;
  if (region) draft.region = region;
  if (form.forcePathStyle) draft.forcePathStyle = true;
  if (form.allowUnencrypted && usesPlainHttp(endpoint)) draft.allowUnencrypted = true;
  if (form.caCertificate.trim()) draft.caCertificate = form.caCertificate.trim();
  if (defaultBucket) draft.defaultBucket = defaultBucket;
  if (form.defaultPrefix.trim()) draft.defaultPrefix = form.defaultPrefix.trim();
  if (Object.keys(domains.value).length > 0) draft.cloudFrontDomains = domains.value;
  return { ok: true, draft, secret: secretPatch(form.kind, inputs, hasSecret) };
}

/** The saved profile as the editor would send it back untouched. */
function savedDraft(profile: ConnectionProfileView): ConnectionDraft | null {
  const check = buildDraft(formFromProfile(profile), UNTOUCHED_SECRET, profile, {
    ignoreSecret: true,
  });
  return check.ok ? check.draft : null;
}

function sameDraft(a: ConnectionDraft, b: ConnectionDraft): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ConnectionDraft>;
  return [...keys].every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

/** True when the draft and secret would save exactly what is stored. */
export function isUnchanged(
  draft: ConnectionDraft,
  secret: SecretPatch | undefined,
  saved: ConnectionProfileView | null,
): boolean {
  if (!saved || secret !== undefined) return false;
  const stored = savedDraft(saved);
  return stored !== null && sameDraft(draft, stored);
}

type TestRequest = Parameters<BucketdropApi['testConnection']>[0];

/**
 * A saved connection nobody changed is tested by id, so main uses exactly what it stored; edits
 * go as a draft with the secret fields typed so far. The default bucket, when set, is checked too.
 */
export function testRequest(
  draft: ConnectionDraft,
  secret: SecretPatch | undefined,
  saved: ConnectionProfileView | null,
): TestRequest {
  const bucket = draft.defaultBucket ? { bucket: draft.defaultBucket } : {};
  if (saved && isUnchanged(draft, secret, saved)) return { id: saved.id, ...bucket };
  return { draft, ...(secret ? { secret } : {}), ...bucket };
}

/**
 * Whether edits touch how the connection reaches the store: the checksum probe runs against the
 * saved connection, so these must be saved first. Names, defaults and links do not count.
 */
export function changesAccess(
  form: ConnectionForm,
  inputs: SecretInputs,
  saved: ConnectionProfileView,
): boolean {
  const stored = formFromProfile(saved);
  return (
    form.kind !== stored.kind ||
    (form.kind === 'aws-profile' && form.awsProfileName.trim() !== stored.awsProfileName) ||
    form.endpoint.trim() !== stored.endpoint ||
    form.region.trim() !== stored.region ||
    form.forcePathStyle !== stored.forcePathStyle ||
    form.allowUnencrypted !== stored.allowUnencrypted ||
    form.caCertificate.trim() !== stored.caCertificate ||
    secretPatch(form.kind, inputs, saved.hasSecret) !== undefined
  );
}

/** An endpoint without TLS: the editor asks for the acknowledgement main requires. */
export function usesPlainHttp(endpoint: string | undefined): boolean {
  return /^http:\/\//i.test(endpoint?.trim() ?? '');
}

/** The connection pill's warning: plain http the user allowed for this connection. */
export function isUnencrypted(profile: ConnectionProfileView | undefined): boolean {
  return profile?.allowUnencrypted === true && usesPlainHttp(profile.endpoint);
}

function endpointHost(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/** "work-sso · s3.example.com · eu-west-1": what the connections list shows under the name. */
export function profileSummary(profile: ConnectionProfileView): string {
  const parts: string[] = [];
  if (profile.kind === 'aws-profile' && profile.awsProfileName) {
    parts.push(`profile ${profile.awsProfileName}`);
  }
  parts.push(profile.endpoint ? endpointHost(profile.endpoint) : 'Amazon S3');
  if (profile.region) parts.push(profile.region);
  if (profile.defaultBucket)
    parts.push(`s3://${profile.defaultBucket}/${profile.defaultPrefix ?? ''}`);
  return parts.join(' · ');
}

/** "sso · eu-west-1" after an AWS profile's name in its select. */
export function awsProfileLabel(option: AwsProfileOption): string {
  const details = [option.kind, option.region].filter(Boolean).join(', ');
  return details ? `${option.name} (${details})` : option.name;
}

/** The line under a successful test: region, detected region and what listing found. */
export function testDetails(result: Extract<ConnectionTestResult, { ok: true }>): string[] {
  const details = [`Region ${result.region}`];
  if (result.detectedRegion && result.detectedRegion !== result.region) {
    details.push(`detected region ${result.detectedRegion}`);
  }
  if (result.buckets) details.push(`${plural(result.buckets.length, 'bucket')} listed`);
  else if (result.listBucketsDenied) details.push('may not list buckets: type the bucket name');
  return details;
}
