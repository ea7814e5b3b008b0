import { leasePayloadSchema, sealingContexts, signedStatements, type LeasePayload, type RunRequest } from '@lading/contracts';
import { generateSealingKeyPair, open } from '@lading/secrets';
import { RunRefusedError, type ExecutionDependencies } from './types.js';

/** Asks the broker for the run's values with a one-time key, signed with the runner's registered key. */
export async function obtainLease(request: RunRequest, deps: ExecutionDependencies): Promise<LeasePayload> {
  const keys = generateSealingKeyPair();
  const { runId } = request;
  const signature = deps.sign(signedStatements.lease(runId, deps.runnerId, keys.publicKey));
  const lease = await deps.requestLease({ runId, runnerId: deps.runnerId, publicKey: keys.publicKey, signature });
  return leasePayloadSchema.parse(JSON.parse(open(lease.sealed, keys.privateKey, sealingContexts.lease(runId)).toString('utf8')));
}

/**
 * Refuses a lease past its expiry. Called right before the container starts, after every pull,
 * so a slow pull cannot start a container on values whose lease has run out.
 */
export function refuseExpiredLease(payload: LeasePayload, now = Date.now()): void {
  if (Date.parse(payload.expiresAt) <= now) throw new RunRefusedError('the lease expired before the container could start; run the action again');
}
