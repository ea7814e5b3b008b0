import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints, signedStatements, type RunRequest } from '@lading/contracts';
import { heartbeatIntervalMs } from '@lading/leases';
import { callEndpoint, RemoteFailure, type Logger } from '@lading/service-kit';
import type { RunnerIdentity } from './runner-registration.js';

export type ClaimOutcome = 'claimed' | 'busy' | 'taken' | 'unknown';

/** Claims a queued run with this runner's signature; the broker says who won. */
export async function claimRun(nc: NatsConnection, identity: RunnerIdentity, runId: string): Promise<ClaimOutcome> {
  const { runnerId } = identity;
  try {
    await callEndpoint(nc, endpoints.runsClaim, { runId, runnerId, signature: identity.sign(signedStatements.claim(runId, runnerId)) });
    return 'claimed';
  } catch (error) {
    if (!(error instanceof RemoteFailure)) throw error;
    if (error.code === 'busy') return 'busy';
    if (error.code === 'conflict') return 'taken';
    if (error.code === 'not_found') return 'unknown';
    throw error;
  }
}

/**
 * Keeps the run's installation lock while the run lasts (a runner that dies stops renewing it,
 * and it lapses), then tells the broker the run ended so it releases the lock and deletes the
 * run's secrets.
 */
export async function holdRun<T>(nc: NatsConnection, identity: RunnerIdentity, request: RunRequest, logger: Logger, work: () => Promise<T>): Promise<T> {
  const { runnerId } = identity;
  const { runId } = request;
  const heartbeat = setInterval(() => {
    const signature = identity.sign(signedStatements.heartbeat(runId, runnerId));
    callEndpoint(nc, endpoints.runsHeartbeat, { runId, runnerId, signature }).then(
      ({ held }) => {
        if (!held) logger.warn('the installation lock of a running run lapsed', { runId, installation: request.installation });
      },
      (error: Error) => logger.warn('could not renew the installation lock', { runId, error: error.message }),
    );
  }, heartbeatIntervalMs);
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    const signature = identity.sign(signedStatements.finish(runId, runnerId));
    await callEndpoint(nc, endpoints.runsFinish, { runId, runnerId, signature }).catch((error: Error) =>
      logger.warn('could not tell the broker the run ended; its lock lapses on its own', { runId, error: error.message }),
    );
  }
}
