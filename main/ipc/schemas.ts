import { z } from 'zod';
import { INVOKE, type InvokeChannel, type InvokeMap } from '../../preload/contract';
import { destinationSchema, settingsSchema } from '../service/settings';
import { uploadOptionsSchema } from '../service/uploadOptionsSchema';

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
    uploadOptions: uploadOptionsSchema.optional(),
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
  [INVOKE.bucketOverview]: z.strictObject({ bucket: z.string().min(1).max(255) }),
  [INVOKE.objectAccess]: z.strictObject({
    bucket: z.string().min(1).max(255),
    key: z.string().min(1).max(1024),
  }),
};
