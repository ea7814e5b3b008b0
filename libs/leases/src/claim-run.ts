import { signedStatements, type RunAdmission, type SignedRunStatement } from '@lading/contracts';
import { verifyStatement } from '@lading/secrets';
import { LeaseRefusedError } from './lease-refused.js';
import type { RunPathState } from './types.js';

/**
 * A runner's signed claim of an admitted run. The installation's lock is taken (or renewed) for
 * the run first, so two runs of one installation never both start; then the claim is written
 * into the admission with compare-and-set, so of two runners the first claim wins. The claim
 * keeps the key that signed it: the run's lease is bound to that key, whatever is registered later.
 */
export async function claimRun(statement: SignedRunStatement, state: RunPathState): Promise<void> {
  const { runId, runnerId, signature } = statement;
  const publicKey = await state.runnerKeys.verified(runnerId, signedStatements.claim(runId, runnerId), signature);
  const admitted = await state.admissions.get(runId);
  if (!admitted) throw new LeaseRefusedError('not_found', `run ${runId} was not admitted by the broker`);
  const { value: admission, revision } = admitted;
  if (admission.endedAt) throw new LeaseRefusedError('conflict', `run ${runId} has already ended`);
  if (admission.claim) {
    if (admission.claim.runnerId === runnerId && admission.claim.publicKey === publicKey) return;
    throw new LeaseRefusedError('conflict', `run ${runId} is claimed by another runner`);
  }
  const lock = await state.locks.acquire(admission.namespace, admission.installation, runId);
  if (!lock.held) throw new LeaseRefusedError('busy', `installation ${admission.installation} is busy with run ${lock.heldBy}`);
  try {
    await state.admissions.update(runId, { ...admission, claim: { runnerId, publicKey, at: new Date().toISOString() } }, revision);
  } catch {
    throw new LeaseRefusedError('conflict', `run ${runId} is claimed by another runner`);
  }
}

/** The admission of a run `statement`'s runner claimed, verified against the key that claimed it. */
export async function claimedBy(runId: string, runnerId: string, statement: string, signature: string, state: RunPathState): Promise<RunAdmission> {
  const admission = (await state.admissions.get(runId))?.value;
  if (!admission) throw new LeaseRefusedError('not_found', `run ${runId} was not admitted by the broker`);
  if (!admission.claim) throw new LeaseRefusedError('forbidden', `run ${runId} has not been claimed`);
  if (admission.endedAt) throw new LeaseRefusedError('conflict', `run ${runId} has already ended`);
  if (admission.claim.runnerId !== runnerId) throw new LeaseRefusedError('forbidden', `run ${runId} is claimed by another runner`);
  if (!verifyStatement(admission.claim.publicKey, statement, signature)) {
    throw new LeaseRefusedError('forbidden', `the signature is not that of the runner key that claimed run ${runId}`);
  }
  return admission;
}
