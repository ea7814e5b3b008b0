import { randomBytes } from 'node:crypto';
import { sealingContexts, signedStatements, type LeasePayload, type LeaseReply, type LeaseRequest, type RunAdmission } from '@lading/contracts';
import { seal } from '@lading/secrets';
import { claimedBy } from './claim-run.js';
import { LeaseRefusedError } from './lease-refused.js';
import { openRunInput } from './open-run-input.js';
import { resolveRunValues } from './run-values.js';
import type { LeaseDependencies } from './types.js';

export const maxLeaseTtlMs = 30_000;

/** A lease's lifetime: what was asked for (or the broker's default), never more than 30 seconds. */
export function leaseLifetimeMs(requested: number | undefined, fallback: number | undefined): number {
  return Math.min(requested ?? fallback ?? maxLeaseTtlMs, maxLeaseTtlMs);
}

/**
 * Decides from broker-owned state only: the run as admitted, claimed by this runner with the key
 * that signed this request. Then the values are resolved and sealed to the request's one-time key.
 */
async function decide(request: LeaseRequest, deps: LeaseDependencies, found: (admission: RunAdmission) => void) {
  const { runId, runnerId, publicKey, signature } = request;
  const admission = await claimedBy(runId, runnerId, signedStatements.lease(runId, runnerId, publicKey), signature, deps);
  found(admission);
  if (!admission.input) throw new LeaseRefusedError('conflict', `run ${runId} has already ended`);
  const input = openRunInput(admission.input, deps.brokerKey, runId);
  const values = await resolveRunValues(admission, input, { credentials: deps.credentialSets, parameters: deps.parameterSets }, deps.store, deps.records);
  try {
    await deps.redemptions.create(`run.${runId}`, new Date().toISOString());
  } catch {
    throw new LeaseRefusedError('conflict', `the lease of run ${runId} was already issued: a lease is valid once`);
  }
  const now = (deps.now ?? (() => new Date()))();
  const expiresAt = new Date(now.getTime() + leaseLifetimeMs(request.ttlMs, deps.ttlMs)).toISOString();
  const payload: LeasePayload = { runId, expiresAt, ...values };
  const sealed = seal(Buffer.from(JSON.stringify(payload)), publicKey, sealingContexts.lease(runId));
  const names = [...Object.keys(values.credentials), ...Object.keys(values.parameters)];
  return { reply: { leaseId: randomBytes(12).toString('hex'), expiresAt, sealed }, names };
}

/**
 * Grants or refuses a lease, auditing the decision either way (names only, never values). The
 * entry names the run's installation when the run was admitted, so an installation's history can show it.
 */
export async function grantLease(request: LeaseRequest, deps: LeaseDependencies): Promise<LeaseReply> {
  const at = new Date().toISOString();
  let installation: string | undefined;
  try {
    const { reply, names } = await decide(request, deps, (admission) => (installation = admission.installation));
    await deps.audit({ at, runId: request.runId, runnerId: request.runnerId, installation, granted: true, names });
    return reply;
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'refused';
    await deps.audit({ at, runId: request.runId, runnerId: request.runnerId, installation, granted: false, names: [], reason });
    throw error;
  }
}
