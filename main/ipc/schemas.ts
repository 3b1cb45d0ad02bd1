import { z } from 'zod';
import { INVOKE, type InvokeChannel, type InvokeMap } from '../../preload/contract';
import { destinationSchema, settingsSchema } from '../service/settings';

const id = z.string().min(1).max(200);
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
  checksumMode: z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']),
  defaultBucket: text(255).optional(),
  defaultPrefix: text(1024).optional(),
  cloudFrontDomains: z
    .record(text(255), text(255))
    .refine((record) => Object.keys(record).length <= 1000, 'too many domains')
    .optional(),
});
const secretPatch = z.strictObject({
  accessKeyId: text(256).optional(),
  secretAccessKey: text(1024).optional(),
  sessionToken: text(8192).nullable().optional(),
});

const bucketName = z.string().min(1).max(255);
const objectKey = z.string().min(1).max(1024);
const lifecycleAdditions = z.strictObject({
  glacier: z
    .strictObject({ prefix: z.string().max(1024), days: z.int().min(0).max(36_500) })
    .optional(),
  abortIncomplete: z.strictObject({ days: z.int().min(1).max(36_500) }).optional(),
});

/** Every invoke channel's payload, checked before a handler sees it. */
export const REQUEST_SCHEMAS: { [C in InvokeChannel]: z.ZodType<InvokeMap[C]['request']> } = {
  [INVOKE.planDropped]: z.strictObject({
    paths: z.array(absolutePath).min(1).max(10_000),
    destination: destinationSchema,
  }),
  [INVOKE.pick]: z.strictObject({
    kind: z.enum(['files', 'folder']),
    destination: destinationSchema,
  }),
  [INVOKE.startUpload]: z.strictObject({
    preflightId: id,
    onConflict: policy,
    perKey: z
      .record(z.string().max(1024), policy)
      .refine((record) => Object.keys(record).length <= 100_000, 'too many keys')
      .optional(),
  }),
  [INVOKE.discardPreflight]: z.strictObject({ preflightId: id }),
  [INVOKE.queueAction]: z.strictObject({
    action: z.enum(['pause', 'resume', 'cancel', 'retry', 'remove', 'clear-finished']),
    ids: z.array(id).max(100_000).optional(),
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
  [INVOKE.downloadObjects]: z.strictObject({
    bucket: bucketName,
    keys: z.array(objectKey).max(100_000),
    prefixes: z.array(z.string().max(1024)).max(10_000),
  }),
  [INVOKE.requestRestore]: z.strictObject({
    bucket: bucketName,
    key: objectKey,
    days: z.int().min(1).max(30_000),
    tier: z.enum(['Expedited', 'Standard', 'Bulk']),
  }),
  [INVOKE.lifecycleOverview]: z.strictObject({ bucket: bucketName }),
  [INVOKE.previewLifecycle]: z.strictObject({ bucket: bucketName, additions: lifecycleAdditions }),
  [INVOKE.applyLifecycle]: z.strictObject({ bucket: bucketName, additions: lifecycleAdditions }),
};
