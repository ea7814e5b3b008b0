import { z } from 'zod';
import { digestSchema } from './references.js';
import { cnabDocumentSchema } from '../cnab/document-schema.js';
import type { Bundle } from '../cnab/documents.js';

export const publishRequestSchema = z.object({
  /** Validated against the CNAB bundle schema by the registry guard before anything is pushed. */
  bundle: cnabDocumentSchema<Bundle>('bundle'),
  /** Tag reference to publish to, `<registry>/<repository>:<tag>`. */
  tag: z.string().min(1),
  force: z.boolean().default(false),
});

export const publishOutcomes = ['created', 'unchanged', 'replaced'] as const;

export const publishReplySchema = z.object({
  tag: z.string(),
  /** Digest of the CNAB-in-OCI index now behind the tag. */
  digest: digestSchema,
  /** `repository@digest`, what installs should use. */
  reference: z.string(),
  outcome: z.enum(publishOutcomes),
  previousDigest: digestSchema.optional(),
});
