import { randomBytes } from 'node:crypto';
import { sealingContexts, type LeasePayload, type LeaseReply, type LeaseRequest, type RunState } from '@lading/contracts';
import { seal, SourceError } from '@lading/secrets';
import { LeaseRefusedError } from './lease-refused.js';
import { resolveRunValues } from './resolve-run-values.js';
import type { LeaseDependencies } from './types.js';

export const maxLeaseTtlMs = 30_000;

/** Decides whether `request` gets its run's values, and if so seals them to the runner's key. */
async function decide(request: LeaseRequest, run: RunState | undefined, deps: LeaseDependencies): Promise<{ reply: LeaseReply; names: string[] }> {
  if (!run) throw new LeaseRefusedError('not_found', `run ${request.runId} does not exist`);
  if (run.status !== 'starting') throw new LeaseRefusedError('forbidden', `run ${request.runId} is ${run.status}, not starting: leases are given only at container start`);
  if (run.runnerId !== request.runnerId) throw new LeaseRefusedError('forbidden', `run ${request.runId} is claimed by another runner`);

  let values;
  try {
    values = await resolveRunValues(run, { credentials: deps.credentialSets, parameters: deps.parameterSets }, deps.store, deps.env);
  } catch (error) {
    if (error instanceof SourceError) throw new LeaseRefusedError('unresolvable', error.message);
    throw error;
  }

  try {
    await deps.redemptions.create(`run.${request.runId}`, new Date().toISOString());
  } catch {
    throw new LeaseRefusedError('conflict', `the lease of run ${request.runId} was already issued: a lease is valid once`);
  }

  const now = (deps.now ?? (() => new Date()))();
  const expiresAt = new Date(now.getTime() + Math.min(deps.ttlMs ?? maxLeaseTtlMs, maxLeaseTtlMs)).toISOString();
  const payload: LeasePayload = { runId: request.runId, expiresAt, ...values };
  const sealed = seal(Buffer.from(JSON.stringify(payload)), request.publicKey, sealingContexts.lease(request.runId));
  const names = [...Object.keys(values.credentials), ...Object.keys(values.parameters)];
  return { reply: { leaseId: randomBytes(12).toString('hex'), expiresAt, sealed }, names };
}

/**
 * Grants or refuses a lease, auditing the decision either way (names only, never values). The
 * entry names the run's installation when the run exists, so an installation's history can show it.
 */
export async function grantLease(request: LeaseRequest, deps: LeaseDependencies): Promise<LeaseReply> {
  const at = new Date().toISOString();
  let run: RunState | undefined;
  try {
    run = (await deps.runs.getRun(request.runId))?.value;
    const { reply, names } = await decide(request, run, deps);
    await deps.audit({ at, runId: request.runId, runnerId: request.runnerId, installation: run?.installation, granted: true, names });
    return reply;
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'refused';
    await deps.audit({ at, runId: request.runId, runnerId: request.runnerId, installation: run?.installation, granted: false, names: [], reason });
    throw error;
  }
}
