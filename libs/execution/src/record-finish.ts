import { createHash } from 'node:crypto';
import { installationStatus, type InstallationStatus, type RunState } from '@lading/contracts';
import type { Bundle, ClaimResultOutput } from '@lading/cnab';
import type { BundleNeeds } from '@lading/cnab';
import type { StoredLog } from './run-output.js';
import { sealOutput } from './seal-output.js';
import type { ExecutionDependencies } from './types.js';

export interface FinishInput {
  state: RunState;
  bundle?: Bundle;
  needs?: BundleNeeds;
  outputs: Map<string, Buffer>;
  log: StoredLog;
  deps: ExecutionDependencies;
  succeeded: boolean;
}

function statusAfter(action: string, succeeded: boolean, previous: InstallationStatus | undefined): InstallationStatus {
  if (!succeeded) return installationStatus.failed;
  if (action === 'install' || action === 'upgrade') return installationStatus.installed;
  if (action === 'uninstall') return installationStatus.uninstalled;
  return previous ?? installationStatus.installed;
}

/**
 * Keeps what a finished run leaves behind: its log (already masked), its outputs (sensitive
 * ones sealed into the secret store, the rest in records) and the installation's state.
 * Returns the claim-result outputs, which name a content digest salted per run, never a value.
 */
export async function recordFinish(input: FinishInput): Promise<Record<string, ClaimResultOutput>> {
  const { state, bundle, needs, outputs, deps } = input;
  const resultOutputs: Record<string, ClaimResultOutput> = {};
  const keepOutput = async (declared: NonNullable<typeof needs>['outputs'][number], value: Buffer): Promise<void> => {
    if (declared.sensitive) {
      await sealOutput(deps, state.runId, state.installation, declared.name, value);
      await deps.records.putOutput(state.namespace, state.installation, { name: declared.name, sensitive: true, runId: state.runId });
    } else {
      await deps.records.putOutput(state.namespace, state.installation, {
        name: declared.name,
        sensitive: false,
        value: value.toString('utf8'),
        runId: state.runId,
      });
    }
  };
  const keepInstallation = async (): Promise<void> => {
    if (!bundle) return;
    const existing = (await deps.records.getInstallation(state.namespace, state.installation))?.value;
    const now = new Date().toISOString();
    await deps.records.putInstallation({
      name: state.installation,
      namespace: state.namespace,
      bundleReference: state.bundleReference,
      bundleName: bundle.name,
      bundleVersion: bundle.version,
      status: statusAfter(state.action, input.succeeded, existing?.status),
      lastAction: state.action,
      lastRunId: state.runId,
      created: existing?.created ?? now,
      modified: now,
    });
  };
  const kept: Promise<unknown>[] = [deps.records.putLog(state.runId, input.log.log, input.log.truncated), keepInstallation()];
  for (const declared of needs?.outputs ?? []) {
    const value = outputs.get(declared.name);
    if (value === undefined) continue;
    const salted = createHash('sha256').update(state.runId).update('\0').update(value).digest('hex');
    resultOutputs[declared.name] = { contentDigest: `sha256:${salted}` } as ClaimResultOutput;
    kept.push(keepOutput(declared, value));
  }
  // Each is its own record (the log, each output, the installation): written side by side, all
  // before the run's own record says it ended, so a user told it succeeded finds them.
  const settled = await Promise.allSettled(kept);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return resultOutputs;
}
