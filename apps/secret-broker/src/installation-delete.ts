import { randomBytes } from 'node:crypto';
import type { InstallationKey } from '@lading/contracts';
import type { RunPathState } from '@lading/leases';
import { installationValuesSecretName, runScopedSecretName } from '@lading/secrets';
import { assertNamespace, ServiceFailure, type Caller } from '@lading/service-kit';

export interface DeleteDependencies {
  state: RunPathState;
  /** Has the runner, which owns the records, delete them; answers how many runs there were. */
  forgetRecords(key: InstallationKey): Promise<number>;
}

/** The store names an installation's secrets have: what it remembers, and every sensitive output of its runs. */
async function secretNamesOf(key: InstallationKey, state: RunPathState): Promise<string[]> {
  const names = new Set([installationValuesSecretName(key.namespace, key.name)]);
  for (const output of await state.records.outputsOf(key.namespace, key.name)) {
    if (output.sensitive) names.add(runScopedSecretName(output.runId, 'output', output.name));
  }
  for (const run of await state.records.runsOf(key.namespace, key.name)) {
    const outputs = run.result?.outputs ?? {};
    for (const output of Object.keys(outputs)) names.add(runScopedSecretName(run.runId, 'output', output));
  }
  return [...names];
}

/**
 * Deletes an installation: its secrets first, then (through the runner) its records, so an
 * attempt cut short can be repeated. The installation's lock is held throughout, so no run starts
 * or is under way meanwhile; a busy installation is refused whole.
 */
export async function deleteInstallation(key: InstallationKey, caller: Caller | undefined, deps: DeleteDependencies) {
  const { name, namespace } = key;
  assertNamespace(caller, namespace);
  const { state } = deps;
  const holder = `delete-${randomBytes(8).toString('hex')}`;
  const lock = await state.locks.acquire(namespace, name, holder);
  if (!lock.held) throw new ServiceFailure('busy', `installation ${name} is busy with run ${lock.heldBy}: delete it once that run has finished`);
  try {
    if (!(await state.records.getInstallation(namespace, name))) {
      throw new ServiceFailure('not_found', `there is no installation named ${name}: see \`lading installations list\``);
    }
    let deletedSecrets = 0;
    for (const secret of await secretNamesOf(key, state)) {
      if ((await state.store.get(secret)) === undefined) continue;
      await state.store.delete(secret);
      deletedSecrets += 1;
    }
    const deletedRuns = await deps.forgetRecords(key);
    return { name, deletedSecrets, deletedRuns };
  } finally {
    await state.locks.release(namespace, name, holder);
  }
}
