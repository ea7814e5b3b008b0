import { z } from 'zod';
import { digestSchema } from './references.js';

export const publishRequestSchema = z.object({
  bundle: z.record(z.string(), z.unknown()),
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
