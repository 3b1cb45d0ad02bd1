import type { UploadOptions } from '../../preload/contract';
import { PUBLIC_ACLS, type ObjectSettingsInput } from './uploadOptions';

/** The codes with which stores refuse a header they do not support. */
const REFUSAL_CODES = new Set(['NotImplemented', 'InvalidArgument', 'InvalidRequest']);
const SENT_SETTINGS = Symbol('bucketdrop.sentSettings');

/**
 * Marks the error of a request that carried the object settings (PutObject,
 * CreateMultipartUpload), so that a refusal is explained by what that request sent: stores do
 * not say which header they refused, and some (Ceph RGW) send no message at all.
 */
export function withSentSettings(error: unknown, settings: ObjectSettingsInput): unknown {
  if (error !== null && typeof error === 'object' && Object.keys(settings).length > 0) {
    Object.defineProperty(error, SENT_SETTINGS, { value: settings, configurable: true });
  }
  return error;
}

function sentSettingsOf(error: unknown): ObjectSettingsInput | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  return (error as { [SENT_SETTINGS]?: ObjectSettingsInput })[SENT_SETTINGS];
}

interface Refusable {
  /** Words of a store's message that point at this option. */
  hint: RegExp;
  explain: (message: string) => string;
  label: string;
}

/** The options a store may refuse that the failed request carried, in the user's words. */
function refusableSent(sent: ObjectSettingsInput): Refusable[] {
  const found: Refusable[] = [];
  if (sent.StorageClass && sent.StorageClass !== 'STANDARD') {
    found.push({
      hint: /storage ?class/i,
      label: `storage class ${sent.StorageClass}`,
      explain: () =>
        `the store does not accept storage class ${sent.StorageClass}: choose another (STANDARD works everywhere)`,
    });
  }
  if (sent.ServerSideEncryption) {
    found.push({
      hint: /encrypt|sse/i,
      label: `server-side encryption (${sent.ServerSideEncryption})`,
      explain: () =>
        `the store does not support server-side encryption (${sent.ServerSideEncryption}): upload without it`,
    });
  }
  if (sent.Tagging) {
    found.push({
      hint: /tag/i,
      label: 'object tags',
      explain: () => 'the store does not support object tags: upload without them',
    });
  }
  if (sent.ACL) {
    found.push({
      hint: /acl|grant/i,
      label: `the ACL ${sent.ACL}`,
      explain: (message) => `the store refused the ACL ${sent.ACL}${message ? `: ${message}` : ''}`,
    });
  }
  return found;
}

/** The store's own words, unless it sent none (the SDK then says "UnknownError"). */
function storeMessage(error: { message?: string }): string {
  const message = error?.message ?? '';
  return message === 'UnknownError' ? '' : message;
}

/**
 * Names the option a store refused, when an upload fails because of one: the store's own code
 * ("NotImplemented", "InvalidRequest") says nothing of which header it did not like, so the
 * options are those the failed request carried, narrowed by the store's message when it has one.
 */
export function explainOptionRefusal(
  error: unknown,
  options: UploadOptions | undefined,
): string | null {
  if (!options) return null;
  const e = error as { name?: string; Code?: string; message?: string };
  const code = e?.Code ?? e?.name ?? '';
  const message = storeMessage(e);
  if (code === 'InvalidStorageClass' && options.storageClass) {
    return `the store does not accept storage class ${options.storageClass}: choose another (STANDARD works everywhere)`;
  }
  const sent = sentSettingsOf(error);
  if (REFUSAL_CODES.has(code) && sent) {
    const candidates = refusableSent(sent);
    const named = candidates.filter((option) => option.hint.test(message));
    const [only] = named.length === 1 ? named : candidates.length === 1 ? candidates : [];
    if (only) return only.explain(message);
    if (candidates.length > 1) {
      return `the store refused one of this upload's options (${candidates.map((o) => o.label).join(', ')})${message ? `: ${message}` : ''}; upload without them, or with one at a time to find which`;
    }
  }
  if (code === 'AccessControlListNotSupported' && options.acl) {
    return `the bucket has ACLs disabled (Object Ownership: bucket owner enforced), so the ACL ${options.acl} cannot be set: upload without an ACL`;
  }
  if (code === 'AccessDenied' && options.acl && PUBLIC_ACLS.has(options.acl)) {
    return `access denied: the bucket's Block Public Access settings may forbid the public ACL ${options.acl}`;
  }
  if (code === 'KMS.NotFoundException' || /kms/i.test(code)) {
    return `the KMS key ${options.sseKmsKeyId ?? '(default)'} could not be used: ${message}`;
  }
  return null;
}
