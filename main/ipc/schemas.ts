import { z } from 'zod';
import { INVOKE, type InvokeChannel, type InvokeMap } from '../../preload/contract';
import { destinationSchema, settingsSchema } from '../service/settings';
import { uploadOptionsSchema } from '../service/uploadOptionsSchema';

const id = z.string().min(1).max(200);

/** Entries in an array or own keys in an object, counted with an early stop. */
function entriesExceed(value: unknown, max: number): boolean {
  if (Array.isArray(value)) return value.length > max;
  if (value === null || typeof value !== 'object') return false;
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key) && ++count > max) return true;
  return false;
}

/**
 * A list or record of at most `max` entries, refused by its size before a single entry is
 * parsed: parsing 100,000 keys first took main 2.2 s, during which it answered nothing. The caps
 * are set so that the largest valid payload of each channel parses in well under 100 ms.
 */
function capped<T extends z.ZodType>(schema: T, max: number) {
  return z
    .unknown()
    .refine((value) => !entriesExceed(value, max), {
      message: `more than ${max.toLocaleString('en-US')} entries`,
      abort: true,
    })
    .pipe(schema);
}
const policy = z.enum(['overwrite', 'skip', 'rename']);
/** Paths only ever come from the preload's resolution of dropped files. */
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value), 'not an absolute path')
  .refine((value) => !value.includes('\0'), 'contains a NUL byte');

const text = (max: number) => z.string().max(max);
/** The shape only: the connection service explains a wrong value in the field's own words. */
const connectionDraft = z.strictObject({
  id: z.uuid().optional(),
  name: text(200),
  kind: z.enum(['aws-profile', 'environment', 'access-key']),
  awsProfileName: text(200).optional(),
  endpoint: text(2048).optional(),
  region: text(100).optional(),
  forcePathStyle: z.boolean().optional(),
  allowUnencrypted: z.boolean().optional(),
  caCertificate: text(65_536).optional(),
  checksumMode: z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']),
  defaultBucket: text(255).optional(),
  defaultPrefix: text(1024).optional(),
  cloudFrontDomains: capped(z.record(text(255), text(255)), 1000).optional(),
});
const secretPatch = z.strictObject({
  accessKeyId: text(256).optional(),
  secretAccessKey: text(1024).optional(),
  sessionToken: text(8192).nullable().optional(),
});

/** S3 limits: bucket names and keys, in UTF-8 bytes for keys. */
const bucketName = z.string().min(1).max(255);
const objectKey = z
  .string()
  .max(1024)
  .refine((value) => Buffer.byteLength(value, 'utf8') <= 1024, 'longer than 1,024 bytes');
const thumbnailRequest = z.strictObject({
  bucket: bucketName,
  key: objectKey.min(1),
  etag: text(200),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  storageClass: text(64),
});
/** The key of an object, never empty; versions also carry a bounded version id. */
const nonEmptyKey = objectKey.min(1);
const versionId = z.string().min(1).max(1024);
const versionCursor = z.strictObject({
  keyMarker: z.string().max(1024),
  versionIdMarker: z.string().max(1024).optional(),
});
const versionRef = { bucket: bucketName, key: nonEmptyKey, versionId };
const lifecycleAdditions = z.strictObject({
  glacier: z
    .strictObject({ prefix: z.string().max(1024), days: z.int().min(0).max(36_500) })
    .optional(),
  abortIncomplete: z.strictObject({ days: z.int().min(1).max(36_500) }).optional(),
});

/** Every invoke channel's payload, checked before a handler sees it. */
export const REQUEST_SCHEMAS: { [C in InvokeChannel]: z.ZodType<InvokeMap[C]['request']> } = {
  [INVOKE.planDropped]: z.strictObject({
    paths: capped(z.array(absolutePath).min(1), 10_000),
    destination: destinationSchema,
  }),
  [INVOKE.pick]: z.strictObject({
    kind: z.enum(['files', 'folder']),
    destination: destinationSchema,
  }),
  [INVOKE.startUpload]: z.strictObject({
    preflightId: id,
    onConflict: policy,
    perKey: capped(z.record(z.string().max(1024), policy), 10_000).optional(),
    uploadOptions: uploadOptionsSchema.optional(),
    followOutsideLinks: z.boolean().optional(),
  }),
  [INVOKE.discardPreflight]: z.strictObject({ preflightId: id }),
  [INVOKE.queueAction]: z.strictObject({
    action: z.enum(['pause', 'resume', 'cancel', 'retry', 'remove', 'clear-finished']),
    ids: capped(z.array(id), 100_000).optional(),
  }),
  [INVOKE.queueSnapshot]: z.null(),
  [INVOKE.resumeUnfinished]: z.null(),
  [INVOKE.getSettings]: z.null(),
  [INVOKE.updateSettings]: settingsSchema.partial(),
  [INVOKE.listBuckets]: z.null(),
  [INVOKE.connectionsOverview]: z.null(),
  [INVOKE.saveConnection]: z.strictObject({
    draft: connectionDraft,
    secret: secretPatch.optional(),
    allowWeakEncryption: z.boolean().optional(),
  }),
  [INVOKE.removeConnection]: z.strictObject({ id: z.uuid() }),
  [INVOKE.testConnection]: z
    .strictObject({
      id: z.uuid().optional(),
      draft: connectionDraft.optional(),
      secret: secretPatch.optional(),
      bucket: text(255).optional(),
    })
    .refine((request) => (request.id === undefined) !== (request.draft === undefined), {
      message: 'test either a saved connection or a draft',
    }),
  [INVOKE.probeChecksums]: z.strictObject({ id: z.uuid(), bucket: z.string().min(1).max(255) }),
  [INVOKE.listPage]: z.strictObject({
    bucket: bucketName,
    prefix: objectKey,
    startsWith: objectKey.optional(),
    continuationToken: text(4096).optional(),
  }),
  [INVOKE.objectDetails]: z.strictObject({ bucket: bucketName, key: objectKey.min(1) }),
  [INVOKE.thumbnail]: thumbnailRequest,
  [INVOKE.createFolder]: z.strictObject({
    bucket: bucketName,
    prefix: objectKey,
    name: text(1024),
  }),
  [INVOKE.deleteObjects]: z.strictObject({
    bucket: bucketName,
    keys: capped(z.array(objectKey.min(1)), 10_000),
    prefixes: capped(z.array(objectKey.min(1)), 1000),
  }),
  [INVOKE.shareLinks]: z.strictObject({
    bucket: bucketName,
    key: objectKey.min(1),
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600),
  }),
  [INVOKE.versioningStatus]: z.strictObject({ bucket: bucketName }),
  [INVOKE.enableVersioning]: z.strictObject({ bucket: bucketName }),
  [INVOKE.listVersions]: z.strictObject({
    bucket: bucketName,
    key: nonEmptyKey,
    cursor: versionCursor.optional(),
  }),
  [INVOKE.previewVersion]: z.strictObject(versionRef),
  [INVOKE.versionLink]: z.strictObject({
    ...versionRef,
    expiresInSeconds: z.union([z.literal(3600), z.literal(86_400), z.literal(604_800)]),
  }),
  [INVOKE.restoreVersion]: z.strictObject(versionRef),
  [INVOKE.undeleteKeys]: z.strictObject({
    bucket: bucketName,
    keys: capped(z.array(nonEmptyKey).min(1), 1000),
  }),
  [INVOKE.listDeletedKeys]: z.strictObject({
    bucket: bucketName,
    prefix: z.string().max(1024),
    cursor: versionCursor.optional(),
  }),
  [INVOKE.planPointInTime]: z.strictObject({
    bucket: bucketName,
    prefix: z.string().max(1024),
    at: z.iso.datetime({ offset: true }),
    deleteCreatedSince: z.boolean(),
  }),
  [INVOKE.applyPointInTime]: z.strictObject({ planId: z.uuid() }),
  [INVOKE.pointInTimeProgress]: z.strictObject({ planId: z.uuid() }),
  // The typed confirmation must name the key: a permanent deletion cannot be undone.
  [INVOKE.deleteVersionPermanently]: z
    .strictObject({ ...versionRef, typedKey: nonEmptyKey })
    .refine((request) => request.typedKey === request.key, {
      message: 'the typed name does not match the key',
    }),
  [INVOKE.auditLog]: z.null(),
  [INVOKE.exportAuditLog]: z.strictObject({ format: z.enum(['csv', 'json']) }),
  [INVOKE.downloadObjects]: z.strictObject({
    bucket: bucketName,
    keys: capped(z.array(nonEmptyKey), 10_000),
    prefixes: capped(z.array(z.string().max(1024)), 10_000),
    versions: capped(z.array(z.strictObject({ key: nonEmptyKey, versionId })), 1000).optional(),
  }),
  [INVOKE.requestRestore]: z.strictObject({
    bucket: bucketName,
    key: nonEmptyKey,
    days: z.int().min(1).max(30_000),
    tier: z.enum(['Expedited', 'Standard', 'Bulk']),
  }),
  [INVOKE.lifecycleOverview]: z.strictObject({ bucket: bucketName }),
  [INVOKE.previewLifecycle]: z.strictObject({ bucket: bucketName, additions: lifecycleAdditions }),
  [INVOKE.applyLifecycle]: z.strictObject({ bucket: bucketName, additions: lifecycleAdditions }),
  [INVOKE.checkUploadOptions]: z.strictObject({
    bucket: z.string().max(255),
    options: uploadOptionsSchema,
  }),
  [INVOKE.createBucket]: z.strictObject({
    name: z.string().max(255),
    region: z.string().max(100).optional(),
    versioning: z.boolean(),
    blockPublicAccess: z.boolean(),
    abortIncompleteUploadsAfter7Days: z.boolean(),
  }),
  [INVOKE.bucketOverview]: z.strictObject({ bucket: bucketName }),
  [INVOKE.objectAccess]: z.strictObject({ bucket: bucketName, key: nonEmptyKey }),
};
