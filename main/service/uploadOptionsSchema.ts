import { z } from 'zod';
import type { UploadDefaults, UploadOptions } from '../../preload/contract';
import { CANNED_ACLS, MAX_TAGS, STORAGE_CLASSES } from '../transfer/uploadOptions';

const keyValue = z.strictObject({ key: z.string().max(1024), value: z.string().max(2048) });

/**
 * The shape of upload options wherever they cross into main (IPC, the settings file). The rules
 * with plain-words explanations (header characters, 2 KB of metadata, tag limits) are
 * validateUploadOptions's job, so that the user learns which rule, not just "invalid".
 */
export const uploadOptionsSchema = z.strictObject({
  storageClass: z.enum(STORAGE_CLASSES).optional(),
  cacheControl: z.string().max(2048).optional(),
  contentDisposition: z.string().max(2048).optional(),
  acl: z.enum(CANNED_ACLS).optional(),
  sse: z.enum(['AES256', 'aws:kms']).optional(),
  sseKmsKeyId: z.string().max(2048).optional(),
  metadata: z.array(keyValue).max(200).optional(),
  tags: z
    .array(keyValue)
    .max(MAX_TAGS * 10)
    .optional(),
  exifMetadata: z.boolean().optional(),
  includeGps: z.boolean().optional(),
}) satisfies z.ZodType<UploadOptions>;

export const uploadDefaultsSchema = z.strictObject({
  connectionId: z.uuid().nullable(),
  bucket: z.string().min(1).max(63),
  prefix: z.string().max(1024),
  options: uploadOptionsSchema,
}) satisfies z.ZodType<UploadDefaults>;

/** The defaults of the most specific destination entry that covers this bucket and prefix. */
export function uploadDefaultsFor(
  defaults: UploadDefaults[] | undefined,
  connectionId: string | null,
  destination: { bucket: string; prefix: string },
): UploadOptions {
  const matching = (defaults ?? [])
    .filter(
      (entry) =>
        entry.connectionId === connectionId &&
        entry.bucket === destination.bucket &&
        destination.prefix.startsWith(entry.prefix),
    )
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return matching[0]?.options ?? {};
}
