import { z } from 'zod';
import { principalNameSchema } from '../identity.js';
import { digestReferenceSchema, namespaceSchema, resourceNameSchema } from './references.js';
import { setKeySchema } from './value-sets.js';

/** Put on the run work queue by the CLI; taken by exactly one runner. */
export const runRequestSchema = z.object({
  runId: z.string().regex(/^[a-z0-9]{16,64}$/),
  installation: resourceNameSchema,
  namespace: namespaceSchema,
  action: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  /** The bundle by digest only: a tag-only reference is refused here and again by the runner. */
  bundleReference: digestReferenceSchema,
  credentialSets: z.array(setKeySchema).default([]),
  parameterSets: z.array(setKeySchema).default([]),
  /** Non-sensitive parameter values given on the command line. */
  parameters: z.record(z.string(), z.string()).default({}),
  /** Sensitive parameters given on the command line, moved into the store: name → secret name. */
  sensitiveParameterSecrets: z.record(z.string(), z.string()).default({}),
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
  /** The runner that claimed the run; the only one the broker will lease its values to. */
  runnerId: z.string().optional(),
  /** The sets the run may draw values from; the broker refuses any other. */
  credentialSets: z.array(setKeySchema),
  parameterSets: z.array(setKeySchema),
  sensitiveParameterSecrets: z.record(z.string(), z.string()).default({}),
  /** The bundle's credentials that apply to this action; the broker resolves exactly these. */
  wantedCredentials: z.array(z.object({ name: z.string(), required: z.boolean() })).default([]),
  /** The bundle's parameters that apply to this action, resolved from the run's parameter sets. */
  wantedParameters: z.array(z.string()).default([]),
  bundleReference: z.string(),
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
