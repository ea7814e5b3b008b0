import { z } from 'zod';
import { principalNameSchema } from '../identity.js';
import { digestReferenceSchema, namespaceSchema, resourceNameSchema } from './references.js';
import { actionNameSchema, runIdSchema } from './run-admission.js';
import { setKeySchema } from './value-sets.js';

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

export const runStatuses = ['pending', 'starting', 'running', 'succeeded', 'failed'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** The runner's record of one run, beside the CNAB claim it keeps for it. */
export const runStateSchema = z.object({
  runId: z.string(),
  installation: z.string(),
  namespace: z.string(),
  action: z.string(),
  status: z.enum(runStatuses),
  /** The runner that took the run (informational: the broker decides leases from its own admission record). */
  runnerId: z.string().optional(),
  credentialSets: z.array(setKeySchema),
  parameterSets: z.array(setKeySchema),
  bundleReference: z.string(),
  /** When the runner asked the broker for the run's lease, so a lease that timed out says it was asked for. */
  leaseRequestedAt: z.string().optional(),
  /** The trace the run belongs to (the W3C trace id of the command that asked for it): an id, never a value. */
  traceId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  claim: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()).optional(),
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
    status: z.enum(runStatuses),
    exitCode: z.number().optional(),
    message: z.string().optional(),
  }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;
