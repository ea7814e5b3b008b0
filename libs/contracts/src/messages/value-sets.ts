import { z } from 'zod';
import { namespaceSchema, resourceNameSchema } from './references.js';
import { cnabDocumentSchema } from '../cnab/document-schema.js';
import type { CredentialSet, ParameterSet, ValueMapping } from '../cnab/documents.js';

/** A credential set or a parameter set: the two kinds share every message. */
export type ValueSet = CredentialSet | ParameterSet;

/** The entries of a set, whichever kind it is. */
export const valueSetEntries = (document: ValueSet): ValueMapping[] => ('credentials' in document ? document.credentials : document.parameters);

/** Which set a request means: credential sets and parameter sets share these shapes. */
export const setKeySchema = z.object({
  name: resourceNameSchema,
  namespace: namespaceSchema,
});
export type SetKey = z.infer<typeof setKeySchema>;

export const setApplyRequestSchema = z.object({
  /**
   * A credential or parameter set as the user wrote it, not yet a CNAB document: it may leave out
   * `schemaVersion`, `created` and `modified`, and its literal values travel as `sealedValue`
   * sources. The broker moves those into the secret store, fills in the rest and validates the
   * result against the CNAB schema before it stores it; hence a plain object here.
   */
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
export const setShowReplySchema = z.object({ document: cnabDocumentSchema<ValueSet>('credential or parameter set') });
export const setDeleteReplySchema = setKeySchema;
