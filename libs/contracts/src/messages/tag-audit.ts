import { z } from 'zod';
import { digestSchema } from './references.js';

export const tagAuditRequestSchema = z.object({
  /** Only the most recent entries, at most this many. Default: all. */
  limit: z.number().int().positive().max(10_000).optional(),
});

/** One forced overwrite of a tag; `newDigest` is null when the forced change deleted the tag. */
export const tagAuditRecordSchema = z.object({
  at: z.string(),
  principal: z.string(),
  repository: z.string(),
  tag: z.string(),
  oldDigest: digestSchema,
  newDigest: digestSchema.nullable(),
});
export type TagAuditRecord = z.infer<typeof tagAuditRecordSchema>;

export const tagAuditReplySchema = z.object({
  /** Oldest first. */
  entries: z.array(tagAuditRecordSchema),
});
