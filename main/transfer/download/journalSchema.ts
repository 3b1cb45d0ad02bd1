import path from 'node:path';
import { z } from 'zod';
import { isInside } from './keyPaths';

/**
 * What a download journal file must hold to be trusted on load. The journal lives in the app's
 * data folder, but anything else that can write there could otherwise aim a resumed download at
 * any path: so every target must lie inside its batch's folder, checked again here.
 */
const partialRecord = z.looseObject({
  etag: z.string(),
  dev: z.string().regex(/^\d+$/),
  ino: z.string().regex(/^\d+$/),
  bytes: z.number().int().nonnegative().optional(),
});

const itemRecord = z.looseObject({
  id: z.string().min(1),
  key: z.string(),
  versionId: z.string().optional(),
  target: z.string().min(1),
  size: z.number().int().nonnegative(),
  etag: z.string(),
  folderMarker: z.boolean().optional(),
  finished: z.enum(['done', 'cancelled']).optional(),
  savedAs: z.string().optional(),
  lastError: z.string().optional(),
  note: z.string().optional(),
  partial: partialRecord.optional(),
});

export const downloadBatchSchema = z
  .looseObject({
    id: z.string().regex(/^[\w-]+$/),
    createdAt: z.string(),
    bucket: z.string().min(1),
    connectionId: z.string().optional(),
    folder: z.string().refine((folder) => path.isAbsolute(folder), 'is not an absolute path'),
    source: z.string().optional(),
    items: z.array(itemRecord),
  })
  .superRefine((batch, context) => {
    for (const [index, item] of batch.items.entries()) {
      if (!isInside(path.resolve(batch.folder), path.resolve(item.target))) {
        context.addIssue({
          code: 'custom',
          path: ['items', index, 'target'],
          message: `${item.target} is outside the batch's folder ${batch.folder}`,
        });
      }
    }
  });

/** The first problem of a rejected journal file, in words. */
export function describeJournalProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'not a download batch';
}
