import { z } from 'zod';
import { principalNameSchema } from '../identity.js';
import { digestReferenceSchema, namespaceSchema, resourceNameSchema } from './references.js';
import { actionNameSchema, runIdSchema } from './run-admission.js';
import { setKeySchema } from './value-sets.js';
import { cnabDocumentSchema } from '../cnab/document-schema.js';
import type { Claim, ClaimResult } from '../cnab/documents.js';

/** Put on the run work queue by the broker once it has admitted the run; taken by exactly one runner. */
export const runRequestSchema = z.object({
  runId: runIdSchema,
  installation: resourceNameSchema,
  namespace: namespaceSchema,
  action: actionNameSchema,
  /** The bundle by digest only: a tag-only reference is refused here and again by the runner. */
  bundleReference: digestReferenceSchema,
  credentialSets: z.array(setKeySchema).default([]),
  parameterSets: z.array(setKeySchema).default([]),
  /** Non-sensitive parameter values given on the command line (sensitive ones travel only in the lease). */
  parameters: z.record(z.string(), z.string()).default({}),
  /** Names of the sensitive parameters given on the command line; their values are in the lease only. */
  sensitiveParameters: z.array(z.string()).default([]),
  requestedAt: z.string(),
  /** The principal who asked for the run: its events go to that principal alone. */
  submittedBy: principalNameSchema,
});
export type RunRequest = z.infer<typeof runRequestSchema>;

/** The one home of run statuses: code names them as `runStatus.succeeded`, never as string literals. */
export const runStatusSchema = z.enum(['pending', 'starting', 'running', 'succeeded', 'failed']);
export const runStatuses = runStatusSchema.options;
export type RunStatus = z.infer<typeof runStatusSchema>;
export const runStatus = runStatusSchema.enum;
/** The statuses a run never leaves. */
export const terminalRunStatuses: readonly RunStatus[] = [runStatus.succeeded, runStatus.failed];
export const isTerminalRunStatus = (status: RunStatus): boolean => terminalRunStatuses.includes(status);

// Records written before a run had a claim held `claim: {}`; they read as having none.
const noClaimYet = (value: unknown) =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 0 ? undefined : value;

/** The runner's record of one run, beside the CNAB claim it keeps for it. */
export const runStateSchema = z.object({
  runId: z.string(),
  installation: z.string(),
  namespace: z.string(),
  action: z.string(),
  status: runStatusSchema,
  /** The runner that took the run (informational: the broker decides leases from its own admission record). */
  runnerId: z.string().optional(),
  credentialSets: z.array(setKeySchema),
  parameterSets: z.array(setKeySchema),
  bundleReference: z.string(),
  /** When the runner asked the broker for the run's lease, so a lease that timed out says it was asked for. */
  leaseRequestedAt: z.string().optional(),
  /** The trace the run belongs to (the W3C trace id of the command that asked for it): an id, never a value. */
  traceId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  /** The CNAB claim, once the runner has made it (absent while the run is pending). */
  claim: z.preprocess(noClaimYet, cnabDocumentSchema<Claim>('claim').optional()),
  result: cnabDocumentSchema<ClaimResult>('claim result').optional(),
  exitCode: z.number().optional(),
  message: z.string().optional(),
  updatedAt: z.string(),
});
export type RunState = z.infer<typeof runStateSchema>;

/** Live run events, published on `subjects.runs.events(runId)`. Log data is already redacted. */
export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('log'), runId: z.string(), stream: z.enum(['stdout', 'stderr']), data: z.string() }),
  z.object({
    type: z.literal('status'),
    runId: z.string(),
    status: runStatusSchema,
    exitCode: z.number().optional(),
    message: z.string().optional(),
  }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;
