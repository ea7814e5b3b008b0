import { signedStatements, type SignedRunStatement } from '@lading/contracts';
import { claimedBy } from './claim-run.js';
import type { RunPathState } from './types.js';

/** Renews the run's installation lock; false when it lapsed and another run holds it now. */
export async function heartbeatRun(statement: SignedRunStatement, state: RunPathState): Promise<boolean> {
  const { runId, runnerId, signature } = statement;
  const admission = await claimedBy(runId, runnerId, signedStatements.heartbeat(runId, runnerId), signature, state);
  return state.locks.renew(admission.namespace, admission.installation, runId);
}

/**
 * Ends a run on the broker's side: its installation lock is released, its admission (with the
 * sealed input) removed, and its run-scoped secrets deleted — except sensitive outputs, which
 * `lading installations outputs show` still needs. Returns how many secrets were deleted.
 */
export async function finishRun(statement: SignedRunStatement, state: RunPathState): Promise<number> {
  const { runId, runnerId, signature } = statement;
  const admission = await claimedBy(runId, runnerId, signedStatements.finish(runId, runnerId), signature, state);
  let deleted = 0;
  for (const name of await state.store.list()) {
    if (name.startsWith(`run.${runId}.`) && !name.startsWith(`run.${runId}.output.`)) {
      await state.store.delete(name);
      deleted += 1;
    }
  }
  await state.admissions.delete(runId);
  await state.locks.release(admission.namespace, admission.installation, runId);
  return deleted;
}
