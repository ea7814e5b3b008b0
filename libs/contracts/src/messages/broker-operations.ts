import { z } from 'zod';
import { namespaceSchema, resourceNameSchema } from './references.js';
import { sealedBoxSchema } from './sealed-box.js';
import { leaseAuditEntrySchema } from './secrets.js';

/** Rotating the built-in store's at-rest key: every record is re-encrypted, then the old key is gone. */
export const secretsRotateKeyReplySchema = z.object({
  rewritten: z.number().int().nonnegative(),
  /** The id of the new key (a hash prefix: it names the key without revealing it). */
  keyId: z.string(),
});

/** The CLI asks for one sensitive output, just in time, sealed to a key it made for this call. */
export const outputShowRequestSchema = z.object({
  installation: resourceNameSchema,
  namespace: namespaceSchema,
  output: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be an output name'),
  /** The CLI's ephemeral X25519 public key (raw 32 bytes, base64). */
  publicKey: z.string(),
});
export type OutputShowRequest = z.infer<typeof outputShowRequestSchema>;

export const outputShowReplySchema = z.object({
  output: z.string(),
  runId: z.string(),
  sensitive: z.boolean(),
  /** The value, sealed to the request's key with `sealingContexts.outputShow`. */
  sealed: sealedBoxSchema,
});
export type OutputShowReply = z.infer<typeof outputShowReplySchema>;

/** The lease decisions taken for some runs: names and reasons, never values. */
export const leaseAuditRequestSchema = z.object({
  runIds: z.array(z.string().min(1).max(128)).max(500),
});
export const leaseAuditReplySchema = z.object({ entries: z.array(leaseAuditEntrySchema) });
