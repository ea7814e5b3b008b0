import { z } from 'zod';
import { namespaceSchema, resourceNameSchema } from './references.js';
import { runStatusSchema } from './runs.js';

/** What an installation is after its last run: named as `installationStatus.installed`, never as a literal. */
export const installationStatusSchema = z.enum(['installed', 'uninstalled', 'failed']);
export type InstallationStatus = z.infer<typeof installationStatusSchema>;
export const installationStatus = installationStatusSchema.enum;

export const installationKeySchema = z.object({
  name: resourceNameSchema,
  namespace: namespaceSchema,
});
export type InstallationKey = z.infer<typeof installationKeySchema>;

export const installationRecordSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  bundleReference: z.string(),
  bundleName: z.string(),
  bundleVersion: z.string(),
  status: installationStatusSchema,
  lastAction: z.string(),
  lastRunId: z.string(),
  created: z.string(),
  modified: z.string(),
});
export type InstallationRecord = z.infer<typeof installationRecordSchema>;

export const installationListRequestSchema = z.object({ namespace: z.string().optional() });
export const installationListReplySchema = z.object({ items: z.array(installationRecordSchema) });
export const installationShowReplySchema = z.object({ installation: installationRecordSchema });

export const runSummarySchema = z.object({
  runId: z.string(),
  action: z.string(),
  status: runStatusSchema,
  created: z.string(),
  exitCode: z.number().optional(),
  /** The W3C trace id of the command that asked for the run. */
  traceId: z.string().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;
export const installationRunsReplySchema = z.object({ runs: z.array(runSummarySchema) });

export const outputRecordSchema = z.object({
  name: z.string(),
  sensitive: z.boolean(),
  /** Present for non-sensitive outputs only; sensitive ones live in the secret store. */
  value: z.string().optional(),
  runId: z.string(),
});
export type OutputRecord = z.infer<typeof outputRecordSchema>;
export const installationOutputsReplySchema = z.object({ outputs: z.array(outputRecordSchema) });

/** What deleting an installation removed: its secrets (remembered values, sensitive outputs) and its runs' records. */
export const installationDeleteReplySchema = z.object({ name: z.string(), deletedSecrets: z.number(), deletedRuns: z.number() });
export const installationForgetReplySchema = z.object({ deletedRuns: z.number() });

export const installationLogsReplySchema = z.object({ runId: z.string(), log: z.string() });
