import { z } from 'zod';
import { namespaceSchema, resourceNameSchema } from './references.js';

/** Which set a request means: credential sets and parameter sets share these shapes. */
export const setKeySchema = z.object({
  name: resourceNameSchema,
  namespace: namespaceSchema,
});
export type SetKey = z.infer<typeof setKeySchema>;

export const setApplyRequestSchema = z.object({
  /** The parsed CNAB credential or parameter set document; validated against its schema by the broker. */
  document: z.record(z.string(), z.unknown()),
});

export const setListRequestSchema = z.object({
  namespace: z.string().optional(),
});

export const setSummarySchema = z.object({
  name: z.string(),
  namespace: z.string(),
  labels: z.record(z.string(), z.string()).default({}),
  entries: z.array(z.string()),
  modified: z.string(),
});
export type SetSummary = z.infer<typeof setSummarySchema>;

export const setListReplySchema = z.object({ items: z.array(setSummarySchema) });
export const setShowReplySchema = z.object({ document: z.record(z.string(), z.unknown()) });
export const setDeleteReplySchema = setKeySchema;
