import type { LifecycleRule, LifecycleRuleFilter, Tag } from '@aws-sdk/client-s3';

const STORAGE_CLASS_NAMES: Record<string, string> = {
  GLACIER: 'Glacier Flexible Retrieval',
  DEEP_ARCHIVE: 'Glacier Deep Archive',
  GLACIER_IR: 'Glacier Instant Retrieval',
  STANDARD_IA: 'Standard-IA',
  ONEZONE_IA: 'One Zone-IA',
  INTELLIGENT_TIERING: 'Intelligent-Tiering',
};

export function storageClassName(storageClass: string | undefined): string {
  return (storageClass && STORAGE_CLASS_NAMES[storageClass]) ?? storageClass ?? 'another class';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function bytesText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toFixed(1))} ${units[unit]}`;
}

interface Scope {
  prefix?: string;
  tags: Tag[];
  larger?: number;
  smaller?: number;
}

/** The filter in one shape, whichever of S3's spellings (legacy Prefix, Filter, And) it uses. */
export function scopeOf(rule: LifecycleRule): Scope {
  const filter: LifecycleRuleFilter = rule.Filter ?? {};
  const and = filter.And;
  const prefix = and?.Prefix ?? filter.Prefix ?? rule.Prefix;
  const larger = and?.ObjectSizeGreaterThan ?? filter.ObjectSizeGreaterThan;
  const smaller = and?.ObjectSizeLessThan ?? filter.ObjectSizeLessThan;
  return {
    ...(prefix ? { prefix } : {}),
    tags: [...(and?.Tags ?? []), ...(filter.Tag ? [filter.Tag] : [])],
    ...(larger !== undefined ? { larger } : {}),
    ...(smaller !== undefined ? { smaller } : {}),
  };
}

export function isWholeBucket(scope: Scope): boolean {
  return !scope.prefix && scope.tags.length === 0 && !scope.larger && !scope.smaller;
}

function subject(scope: Scope, noun = 'Objects'): string {
  const parts = [scope.prefix ? `${noun} under ${scope.prefix}` : `All ${noun.toLowerCase()}`];
  if (scope.tags.length > 0) {
    parts.push(`tagged ${scope.tags.map((tag) => `${tag.Key}=${tag.Value ?? ''}`).join(' and ')}`);
  }
  if (scope.larger) parts.push(`larger than ${bytesText(scope.larger)}`);
  if (scope.smaller) parts.push(`smaller than ${bytesText(scope.smaller)}`);
  return parts.join(', ');
}

function when(days: number | undefined, date: Date | undefined, after: string): string {
  if (date) return `on ${date.toISOString().slice(0, 10)}`;
  return `${plural(days ?? 0, 'day')} after ${after}`;
}

function keeping(newer: number | undefined): string {
  return newer ? ` (the newest ${plural(newer, 'older version')} are kept)` : '';
}

/** What one rule does, one plain sentence per action. */
export function describeRule(rule: LifecycleRule): string[] {
  const scope = scopeOf(rule);
  const objects = subject(scope);
  const sentences: string[] = [];
  for (const transition of rule.Transitions ?? []) {
    sentences.push(
      `${objects} move to ${storageClassName(transition.StorageClass)} ${when(transition.Days, transition.Date, 'creation')}.`,
    );
  }
  const expiration = rule.Expiration;
  if (expiration?.Days !== undefined || expiration?.Date) {
    sentences.push(`${objects} are deleted ${when(expiration.Days, expiration.Date, 'creation')}.`);
  }
  if (expiration?.ExpiredObjectDeleteMarker) {
    sentences.push(
      `Delete markers ${scope.prefix ? `under ${scope.prefix} ` : ''}with no older versions left are removed.`,
    );
  }
  const versions = subject(scope, 'Older versions');
  for (const transition of rule.NoncurrentVersionTransitions ?? []) {
    sentences.push(
      `${versions} move to ${storageClassName(transition.StorageClass)} ${when(transition.NoncurrentDays, undefined, 'they are replaced')}${keeping(transition.NewerNoncurrentVersions)}.`,
    );
  }
  const noncurrent = rule.NoncurrentVersionExpiration;
  if (noncurrent) {
    sentences.push(
      `${versions} are deleted ${when(noncurrent.NoncurrentDays, undefined, 'they are replaced')}${keeping(noncurrent.NewerNoncurrentVersions)}.`,
    );
  }
  const abort = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
  if (abort !== undefined) {
    sentences.push(
      `Incomplete multipart uploads${scope.prefix ? ` under ${scope.prefix}` : ''} are aborted ${plural(abort, 'day')} after they start.`,
    );
  }
  if (sentences.length === 0) sentences.push(`${objects}: this rule has no action.`);
  return sentences;
}
