import { z } from 'zod';
import { digestSchema } from '@lading/contracts';

/**
 * One tag in the ledger. `pending` is a reservation held while its owner writes upstream;
 * `committed` is what the tag holds. A pending entry remembers the digest it replaces so a
 * replica that reconciles it after its owner died never loses the protected digest.
 */
export const ledgerEntrySchema = z.object({
  repository: z.string(),
  tag: z.string(),
  digest: digestSchema,
  state: z.enum(['pending', 'committed']),
  owner: z.string(),
  principal: z.string(),
  reservedAt: z.string(),
  expiresAt: z.string(),
  /** Set on a pending forced replace or delete: the committed digest it replaces. */
  previousDigest: digestSchema.optional(),
  /** Set on a pending entry whose intent is to remove the tag. */
  deleting: z.boolean().optional(),
  forced: z.boolean().optional(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
