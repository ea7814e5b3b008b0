import { signedStatements, type SignedRunStatement } from '@lading/contracts';
import { runScopedSecretName } from '@lading/secrets';
import { claimedBy } from './claim-run.js';
import { rememberRunValues } from './remember-run-values.js';
import type { RunPathState } from './types.js';

/** Renews the run's installation lock; false when it lapsed and another run holds it now. */
export async function heartbeatRun(statement: SignedRunStatement, state: RunPathState): Promise<boolean> {
  const { runId, runnerId, signature } = statement;
  const admission = await claimedBy(runId, runnerId, signedStatements.heartbeat(runId, runnerId), signature, state);
  return state.locks.renew(admission.namespace, admission.installation, runId);
}

/**
 * Ends a run on the broker's side: its installation lock is released, its admission marked ended
 * and stripped of the sealed input, and its run-scoped secrets deleted — except sensitive outputs, which
 * `lading installations outputs show` still needs. A successful run's parameter values are kept
 * first, for the installation's next actions. Returns how many secrets were deleted.
 */
export async function finishRun(statement: SignedRunStatement, state: RunPathState): Promise<number> {
  const { runId, runnerId, signature } = statement;
  const admission = await claimedBy(runId, runnerId, signedStatements.finish(runId, runnerId), signature, state);
  // Named from the admission, not by listing the store: a run's own names are all the broker may touch.
  let deleted = 0;
  for (const { name } of admission.wantedParameters) {
    const secret = runScopedSecretName(runId, 'param', name);
    if ((await state.store.get(secret)) === undefined) continue;
    await state.store.delete(secret);
    deleted += 1;
  }
  // A run whose values cannot be kept still ends: the installation then remembers what it did before.
  await rememberRunValues(admission, state).catch(() => undefined);
  const { input: _input, ...ended } = admission;
  await state.admissions.put(runId, { ...ended, endedAt: new Date().toISOString() });
  await state.locks.release(admission.namespace, admission.installation, runId);
  return deleted;
}
