import { z } from 'zod';
import { namespaceSchema, secretNameSchema } from './references.js';
import { sealedBoxSchema } from './sealed-box.js';

export const brokerPublicKeyReplySchema = z.object({
  /** The broker's X25519 public key (raw 32 bytes, base64): seal values to it before sending them. */
  publicKey: z.string(),
});

export const secretSetRequestSchema = z.object({
  name: secretNameSchema,
  /** The namespace the secret belongs to; the value is sealed to its name there (`team-a/name`). */
  namespace: namespaceSchema,
  /** The value, sealed to the broker's public key: it never crosses NATS in clear text. */
  sealed: sealedBoxSchema,
});
export const secretNameReplySchema = z.object({ name: z.string() });
export const secretListReplySchema = z.object({ names: z.array(z.string()) });
export const secretDeleteRequestSchema = z.object({ name: secretNameSchema, namespace: namespaceSchema });
export const secretListRequestSchema = z.object({ namespace: namespaceSchema });

/** A runner asks for the values of one run it has claimed. */
export const leaseRequestSchema = z.object({
  runId: z.string().min(1).max(64),
  runnerId: z.string().min(1).max(128),
  /** The runner's ephemeral X25519 public key for this one run (raw 32 bytes, base64). */
  publicKey: z.string().max(100),
  /** Ed25519 signature of `signedStatements.lease(runId, runnerId, publicKey)` with the runner's registered key. */
  signature: z.string().min(1).max(200),
  /** Lease lifetime asked for; the broker caps it at 30 seconds. */
  ttlMs: z.number().int().positive().optional(),
});
export type LeaseRequest = z.infer<typeof leaseRequestSchema>;

export const leaseReplySchema = z.object({
  leaseId: z.string(),
  /** ISO time after which the runner must not use the values. */
  expiresAt: z.string(),
  /** A `LeasePayload`, sealed to the runner's public key. */
  sealed: sealedBoxSchema,
});
export type LeaseReply = z.infer<typeof leaseReplySchema>;

/** What a lease carries once opened: the run's secret values by bundle credential/parameter name. */
export const leasePayloadSchema = z.object({
  runId: z.string(),
  expiresAt: z.string(),
  credentials: z.record(z.string(), z.string()),
  parameters: z.record(z.string(), z.string()),
});
export type LeasePayload = z.infer<typeof leasePayloadSchema>;

/** A runner hands a sensitive output to the broker's store, sealed to the broker. */
export const outputStoreRequestSchema = z.object({
  runId: z.string(),
  installation: z.string(),
  output: z.string(),
  sealed: sealedBoxSchema,
});
export const outputStoreReplySchema = z.object({ secretName: z.string() });

/** One line of the lease audit stream: who, which run, which names, when — never a value. */
export const leaseAuditEntrySchema = z.object({
  at: z.string(),
  runId: z.string(),
  runnerId: z.string(),
  installation: z.string().optional(),
  granted: z.boolean(),
  names: z.array(z.string()),
  reason: z.string().optional(),
});
export type LeaseAuditEntry = z.infer<typeof leaseAuditEntrySchema>;
