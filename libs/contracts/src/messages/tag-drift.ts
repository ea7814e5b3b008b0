import { z } from 'zod';
import { digestSchema } from './references.js';

/** A tag whose upstream content is not what the guard's ledger recorded: someone wrote around the guard. */
export const tagDriftRecordSchema = z.object({
  repository: z.string(),
  tag: z.string(),
  /** What the guard let through last. */
  ledgerDigest: digestSchema,
  /** What the upstream serves now; null when it serves nothing for the tag. */
  upstreamDigest: digestSchema.nullable(),
});
export type TagDriftRecord = z.infer<typeof tagDriftRecordSchema>;

export const tagDriftReplySchema = z.object({
  drift: z.array(tagDriftRecordSchema),
});
