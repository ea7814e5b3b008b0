import { z } from 'zod';
import { digestReferenceSchema, namespaceSchema, resourceNameSchema } from './references.js';
import { sealedBoxSchema } from './sealed-box.js';
import { setKeySchema } from './value-sets.js';

export const runIdSchema = z.string().regex(/^[a-z0-9]{16,64}$/, 'must be 16-64 lower-case letters or digits');
export const actionNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a lower-case action name');
export const runnerIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be 1-128 letters, digits, ".", "_" or "-"');

/**
 * What the CLI seals to the broker for one run (`sealingContexts.runInput(runId)`): every
 * `--param` value, and the values of the `env`, `path` and `command` entries of the run's sets,
 * resolved on the caller's machine when the run was asked for (keyed by `runSourceKey`).
 */
export const runInputSchema = z.object({
  parameters: z.record(z.string(), z.string()).default({}),
  sources: z.record(z.string(), z.string()).default({}),
});
export type RunInput = z.infer<typeof runInputSchema>;

/** Where a caller-resolved source value sits in a run's input: one set entry. */
export function runSourceKey(kind: 'credentials' | 'parameters', set: { name: string; namespace: string }, entry: string): string {
  return `${kind}/${set.namespace}/${set.name}/${entry}`;
}

/** A person asks the broker to run an action; the broker validates it, records it and queues it. */
export const runSubmitRequestSchema = z.object({
  runId: runIdSchema,
  installation: resourceNameSchema,
  namespace: namespaceSchema,
  action: actionNameSchema,
  /**
   * Pinned by the CLI with a manifest HEAD; the broker reads bundle.json by this digest. Absent:
   * the bundle the installation's record names, by digest (a tag is never resolved again).
   */
  bundleReference: digestReferenceSchema.optional(),
  credentialSets: z.array(setKeySchema).default([]),
  parameterSets: z.array(setKeySchema).default([]),
  /** A `RunInput`, sealed to the broker's public key for this run only. */
  input: sealedBoxSchema,
  /**
   * Set by a client that has already run the action on each bundle the bundle requires (Porter's
   * dependencies v1), or passed over those that lack it. Without it, the broker refuses to install,
   * upgrade or invoke a bundle that requires others (`dependencies_first`), so that no client can
   * start a parent before its dependencies by not knowing of them. Uninstall needs none: the parent goes first.
   */
  dependenciesRun: z.boolean().optional(),
});
export type RunSubmitRequest = z.infer<typeof runSubmitRequestSchema>;

export const runSubmitReplySchema = z.object({
  runId: z.string(),
  bundleReference: z.string(),
  /** The aliases of the bundles this one requires, in the order they install: the client reads the bundle only when there are any. */
  requiredBundles: z.array(z.string()).default([]),
});

/** The broker's private record of an admitted run: the only state a lease is decided from. */
export const runAdmissionSchema = z.object({
  runId: z.string(),
  installation: z.string(),
  namespace: z.string(),
  action: z.string(),
  bundleReference: z.string(),
  credentialSets: z.array(setKeySchema),
  parameterSets: z.array(setKeySchema),
  /** The bundle's credentials that apply to the action: the broker resolves exactly these. */
  wantedCredentials: z.array(z.object({ name: z.string(), required: z.boolean() })),
  /** The bundle's parameters that apply to the action. */
  wantedParameters: z.array(z.object({ name: z.string(), required: z.boolean(), hasDefault: z.boolean() })),
  /** Parameters neither given nor mapped by a set, whose values the installation's last successful runs used. */
  reusedParameters: z.array(z.string()).optional(),
  /** Parameters neither given nor mapped by a set, whose value is the installation's last output of a name: parameter → output. */
  outputSourcedParameters: z.record(z.string(), z.string()).optional(),
  /**
   * Parameters whose value is the last output of a required bundle's installation (Porter's
   * dependencies): parameter → that installation, in the run's own namespace, and its output.
   */
  dependencyOutputParameters: z
    .record(z.string(), z.object({ installation: z.string(), output: z.string(), /** Whether the bundle masks the parameter. */ sensitive: z.boolean() }))
    .optional(),
  /** The aliases of the bundles the bundle requires (Porter's dependencies), in the order they install; absent when none. */
  requiredBundles: z.array(z.string()).optional(),
  /** The run's sealed input; removed when the run ends. */
  input: sealedBoxSchema.optional(),
  admittedAt: z.string(),
  /** Set when the run ended: the record stays (without its input) so the run id cannot be admitted again. */
  endedAt: z.string().optional(),
  /** Set once, by the first runner whose signed claim arrived (compare-and-set). */
  claim: z.object({ runnerId: z.string(), publicKey: z.string(), at: z.string() }).optional(),
});
export type RunAdmission = z.infer<typeof runAdmissionSchema>;

/** A runner's Ed25519 public key (SPKI DER, base64), registered when the runner starts. */
export const runnerRegisterRequestSchema = z.object({ runnerId: runnerIdSchema, publicKey: z.string().min(1).max(200) });
export const runnerRegisterReplySchema = z.object({ runnerId: z.string() });

/** A runner's signed statement about one run: its claim, a heartbeat, or the run's end. */
export const signedRunStatementSchema = z.object({
  runId: runIdSchema,
  runnerId: runnerIdSchema,
  /** Ed25519 signature (base64) of `signedStatements.<purpose>(...)` with the runner's registered key. */
  signature: z.string().min(1).max(200),
});
export type SignedRunStatement = z.infer<typeof signedRunStatementSchema>;
export const runClaimReplySchema = z.object({ runId: z.string(), claimed: z.boolean() });
export const runHeartbeatReplySchema = z.object({ runId: z.string(), held: z.boolean() });
export const runFinishReplySchema = z.object({ runId: z.string(), deletedSecrets: z.number().int().nonnegative() });

/** The holder of an installation's run lock; the key disappears when no heartbeat renews it. */
export const installationLockSchema = z.object({ runId: z.string(), since: z.string() });
