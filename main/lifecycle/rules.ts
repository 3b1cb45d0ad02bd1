import { Readable } from 'node:stream';
import {
  GetBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type {
  LifecycleAdditions,
  LifecycleOverview,
  LifecyclePreview,
  LifecycleRuleView,
} from '../../preload/contract';
import { describeS3Error, httpStatusOf } from '../transfer/errors';
import { describeRule, isWholeBucket, scopeOf, storageClassName } from './describe';

/** A lifecycle failure already in plain words. */
export class LifecycleError extends Error {}

interface CurrentRules {
  rules: LifecycleRule[];
  transitionDefaultMinimumObjectSize?: string;
}

function codeOf(error: unknown): string | undefined {
  const e = error as { Code?: string; name?: string };
  return e?.Code ?? e?.name;
}

const UNSUPPORTED = "This store doesn't support lifecycle rules.";

function isUnsupported(error: unknown): boolean {
  return codeOf(error) === 'NotImplemented' || httpStatusOf(error) === 501;
}

function explain(error: unknown, bucket: string, action: 'read' | 'change'): LifecycleError {
  if (codeOf(error) === 'AccessDenied' || httpStatusOf(error) === 403) {
    const permission =
      action === 'read' ? 's3:GetLifecycleConfiguration' : 's3:PutLifecycleConfiguration';
    return new LifecycleError(
      `Access denied: these credentials may not ${action} the lifecycle rules of ${bucket} (${permission}).`,
    );
  }
  if (isUnsupported(error)) return new LifecycleError(UNSUPPORTED);
  return new LifecycleError(
    `Could not ${action} the lifecycle rules of ${bucket}: ${describeS3Error(error)}.`,
  );
}

/** Thrown when a store answers `?lifecycle` with something else than a lifecycle document. */
class IgnoredSubresourceError extends Error {
  override readonly name = 'NotImplemented';
}

/**
 * Some stores (Swift's s3api) ignore the `?lifecycle` subresource and answer with the bucket's
 * listing, which the SDK would read as "no rules": the rules would then look empty and a write
 * would fail. The response's root element tells the two apart.
 */
function rejectBucketListings(command: GetBucketLifecycleConfigurationCommand): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response.statusCode === 200 && response.body instanceof Readable) {
        const chunks: Buffer[] = [];
        for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Buffer));
        const text = Buffer.concat(chunks).toString('utf8');
        if (/<ListBucketResult[\s>]/.test(text.slice(0, 512))) {
          throw new IgnoredSubresourceError('the store answered with a bucket listing');
        }
        response.body = Readable.from([Buffer.from(text)]);
      }
      return result;
    },
    { step: 'deserialize', name: 'bucketdropRejectBucketListings', priority: 'low' },
  );
}

export async function readRules(client: S3Client, bucket: string): Promise<CurrentRules> {
  try {
    const command = new GetBucketLifecycleConfigurationCommand({ Bucket: bucket });
    rejectBucketListings(command);
    const response = await client.send(command);
    return {
      rules: response.Rules ?? [],
      ...(response.TransitionDefaultMinimumObjectSize
        ? { transitionDefaultMinimumObjectSize: response.TransitionDefaultMinimumObjectSize }
        : {}),
    };
  } catch (error) {
    if (codeOf(error) === 'NoSuchLifecycleConfiguration') return { rules: [] };
    throw explain(error, bucket, 'read');
  }
}

export function viewOf(rule: LifecycleRule, index: number): LifecycleRuleView {
  return {
    id: rule.ID ?? `Rule ${index + 1} (unnamed)`,
    enabled: rule.Status !== 'Disabled',
    sentences: describeRule(rule),
  };
}

/** The rules of a bucket in plain words; a store without lifecycle support says so. */
export async function lifecycleOverview(
  client: S3Client,
  bucket: string,
): Promise<LifecycleOverview> {
  try {
    const { rules } = await readRules(client, bucket);
    return { supported: true, rules: rules.map(viewOf) };
  } catch (error) {
    if (error instanceof LifecycleError && error.message === UNSUPPORTED) {
      return { supported: false, message: UNSUPPORTED };
    }
    throw error;
  }
}

export function glacierRuleId(prefix: string, days: number): string {
  return `bucketdrop-glacier-${prefix ? prefix.replace(/[^\w/.-]/g, '_') : 'all'}-${days}d`.slice(
    0,
    255,
  );
}

export function abortRuleId(days: number): string {
  return `bucketdrop-abort-incomplete-${days}d`;
}

/** Existing rules first and untouched; the recommended ones added where nothing equivalent exists. */
export function mergeRules(
  existing: LifecycleRule[],
  additions: LifecycleAdditions,
): { rules: LifecycleRule[]; added: string[]; notAdded: string[] } {
  const rules = [...existing];
  const added: string[] = [];
  const notAdded: string[] = [];
  const ids = new Set(existing.map((rule) => rule.ID).filter(Boolean));
  const enabled = existing.filter((rule) => rule.Status !== 'Disabled');
  if (additions.glacier) {
    const { prefix, days } = additions.glacier;
    const id = glacierRuleId(prefix, days);
    const equivalent = enabled.find((rule) => {
      const scope = scopeOf(rule);
      return (
        (scope.prefix ?? '') === prefix &&
        scope.tags.length === 0 &&
        !scope.larger &&
        !scope.smaller &&
        (rule.Transitions ?? []).some((t) => t.StorageClass === 'GLACIER' && t.Days === days)
      );
    });
    if (equivalent) {
      notAdded.push(
        `Rule "${equivalent.ID ?? 'unnamed'}" already moves ${prefix ? `objects under ${prefix}` : 'all objects'} to ${storageClassName('GLACIER')} after ${days} days.`,
      );
    } else if (ids.has(id)) {
      notAdded.push(`A rule named "${id}" already exists: it was left as it is.`);
    } else {
      rules.push({
        ID: id,
        Status: 'Enabled',
        Filter: { Prefix: prefix },
        Transitions: [{ Days: days, StorageClass: 'GLACIER' }],
      });
      added.push(id);
    }
  }
  if (additions.abortIncomplete) {
    const { days } = additions.abortIncomplete;
    const id = abortRuleId(days);
    const equivalent = enabled.find(
      (rule) =>
        rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined &&
        isWholeBucket(scopeOf(rule)),
    );
    if (equivalent) {
      notAdded.push(
        `Rule "${equivalent.ID ?? 'unnamed'}" already aborts incomplete multipart uploads after ${equivalent.AbortIncompleteMultipartUpload!.DaysAfterInitiation} days.`,
      );
    } else if (ids.has(id)) {
      notAdded.push(`A rule named "${id}" already exists: it was left as it is.`);
    } else {
      rules.push({
        ID: id,
        Status: 'Enabled',
        Filter: { Prefix: '' },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: days },
      });
      added.push(id);
    }
  }
  return { rules, added, notAdded };
}

/** What the bucket's rules would be: shown for confirmation before anything is written. */
export async function previewLifecycle(
  client: S3Client,
  bucket: string,
  additions: LifecycleAdditions,
): Promise<LifecyclePreview> {
  const current = await readRules(client, bucket);
  const merged = mergeRules(current.rules, additions);
  return { rules: merged.rules.map(viewOf), added: merged.added, notAdded: merged.notAdded };
}

/**
 * Writes the existing rules plus the new ones: S3 replaces the whole configuration on a put, so
 * the rules are read again right before, never taken from an older preview.
 */
export async function applyLifecycle(
  client: S3Client,
  bucket: string,
  additions: LifecycleAdditions,
): Promise<LifecyclePreview> {
  const current = await readRules(client, bucket);
  const merged = mergeRules(current.rules, additions);
  if (merged.added.length > 0) {
    try {
      await client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: { Rules: merged.rules },
          ...(current.transitionDefaultMinimumObjectSize
            ? {
                TransitionDefaultMinimumObjectSize: current.transitionDefaultMinimumObjectSize as
                  'all_storage_classes_128K' | 'varies_by_storage_class',
              }
            : {}),
        }),
      );
    } catch (error) {
      throw explain(error, bucket, 'change');
    }
  }
  return { rules: merged.rules.map(viewOf), added: merged.added, notAdded: merged.notAdded };
}
