import { jetstream } from '@nats-io/jetstream';
import { endpoints, streams, subjects, type LeaseAuditEntry } from '@lading/contracts';
import { validateBundle, type Bundle } from '@lading/cnab';
import { admitRun, claimRun, finishRun, grantLease, heartbeatRun, LeaseRefusedError, type RunPathState } from '@lading/leases';
import { KnownBundles, parseReference, RegistryClient } from '@lading/oci';
import { headerCarrier, serveEndpoint, ServiceFailure, type ServiceContext } from '@lading/service-kit';
import { injectTraceContext, instruments, messagingAttributes, SpanKind, withSpan } from '@lading/telemetry';

/** How many bundle.json documents (by digest) the broker keeps in memory. */
const maxKnownBundles = 256;

/**
 * The run path on the broker's side: admission of runs people ask for (the only way onto the
 * work queue), runner registration, signed claims, heartbeats that keep an installation's lock,
 * leases, and the end of a run.
 */
export async function serveRunPath(context: ServiceContext, state: RunPathState, registry: RegistryClient): Promise<void> {
  const { nc, service, logger } = context;
  const js = jetstream(nc);

  // A bundle is named by digest, so what was read once is what the registry would serve again.
  // Admission decides from bundle.json alone; that its invocation image is still in the
  // repository the runner asks before it claims a lease or starts anything.
  const known = new KnownBundles(registry, maxKnownBundles);
  const readBundle = async (text: string): Promise<Bundle> => {
    const reference = parseReference(text);
    if (reference.registry !== registry.registry) {
      throw new LeaseRefusedError('invalid_request', `the bundle is in registry ${reference.registry}, but runs pull only through ${registry.registry}`);
    }
    return validateBundle((await known.documents(reference.repository, reference.digest ?? '')).bundle);
  };

  serveEndpoint(
    service,
    endpoints.runsSubmit,
    async (request, handlerContext) => {
      const admission = await admitRun(request, handlerContext.caller, {
        ...state,
        readBundle,
        enqueue: async (work) => {
          const body = JSON.stringify(work);
          await withSpan('lading', `send ${subjects.runs.requested}`, messagingAttributes(subjects.runs.requested, 'send', Buffer.byteLength(body)), async () => {
            const carrier = headerCarrier();
            injectTraceContext(carrier);
            await js.publish(subjects.runs.requested, body, { headers: carrier.headers, msgID: work.runId }).catch(() => {
              throw new ServiceFailure('upstream_failed', 'the run queue did not take the run: is a runner up? See `lading status`');
            });
          }, undefined, { kind: SpanKind.PRODUCER });
        },
      });
      instruments().runsAdmitted.add(1, { action: admission.action });
      logger.info('run admitted', { runId: admission.runId, installation: admission.installation, namespace: admission.namespace, action: admission.action });
      return { runId: admission.runId, bundleReference: admission.bundleReference, requiredBundles: admission.requiredBundles ?? [] };
    },
    logger,
  );

  serveEndpoint(
    service,
    endpoints.runnersRegister,
    async ({ runnerId, publicKey }) => {
      await state.runnerKeys.register(runnerId, publicKey);
      logger.info('runner registered its key', { runnerId });
      return { runnerId };
    },
    logger,
  );
  serveEndpoint(service, endpoints.runsClaim, async (statement) => (await claimRun(statement, state), { runId: statement.runId, claimed: true }), logger);
  serveEndpoint(service, endpoints.runsHeartbeat, async (statement) => ({ runId: statement.runId, held: await heartbeatRun(statement, state) }), logger);
  serveEndpoint(
    service,
    endpoints.runsFinish,
    async (statement) => {
      const deletedSecrets = await finishRun(statement, state);
      logger.info('run ended', { runId: statement.runId, deletedSecrets });
      return { runId: statement.runId, deletedSecrets };
    },
    logger,
  );

  const audit = async (entry: LeaseAuditEntry) => {
    await js.publish(streams.leaseAudit.subjects[0], JSON.stringify(entry));
  };
  serveEndpoint(
    service,
    endpoints.lease,
    async (request) => {
      try {
        const lease = await grantLease(request, { ...state, audit });
        instruments().leasesGranted.add(1);
        return lease;
      } catch (error) {
        instruments().leaseRefusals.add(1, { reason: error instanceof LeaseRefusedError ? error.code : 'error' });
        throw error;
      }
    },
    logger,
  );
}
