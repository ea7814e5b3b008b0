import { endpoints, subjects } from '@lading/contracts';
import { executeRun, startBundlePull } from '@lading/execution';
import { KnownBundles, RegistryClient } from '@lading/oci';
import { connectDocker, dockerSocketGrants, ensureDockerAvailable, ensureRunNetworkIsolation, removeLeftovers, RunNetworkPool } from '@lading/runtime';
import { callEndpoint, openBucket, runService } from '@lading/service-kit';
import { RunRecords } from '@lading/store';
import { instruments, secondsSince, withSpan } from '@lading/telemetry';
import { serveInstallationQueries } from './queries.js';
import { serveInstallationForget } from './installation-forget.js';
import { PendingRemovals } from './pending-removals.js';
import { prepareRunner } from './prepare-runner.js';
import { claimRun, holdRun } from './run-claim.js';
import { resolveRunnerId } from './runner-identity.js';
import { registerRunnerIdentity } from './runner-registration.js';
import { consumeRunRequests } from './work-queue.js';

await runService({
  role: 'runner',
  version: '0.1.0',
  description: 'Runs bundle actions in hardened containers and keeps installations, runs, outputs and logs',
  instanceId: resolveRunnerId,
  async start(context) {
    const { nc, logger } = context;
    const docker = connectDocker();
    const settings = await prepareRunner(process.env, logger, {
      ensureDocker: () => ensureDockerAvailable(docker),
      isolateRunNetworks: ensureRunNetworkIsolation,
      removeLeftovers: (owner) => removeLeftovers(docker, owner),
    });
    const registry = new RegistryClient({ registry: settings.registry });
    const knownBundles = new KnownBundles(registry);
    const records = await RunRecords.open((name) => openBucket(nc, name));
    serveInstallationQueries(context, records);
    serveInstallationForget(context, records);
    const identity = await registerRunnerIdentity(nc, settings.runnerId, logger);
    const allowDockerSocket = dockerSocketGrants(settings.dockerSocketBundles, (grant) => logger.warn('privilege granted', { ...grant }));
    // Made after the leftovers are gone (they would include these); with egress off runs have no network.
    // Not awaited: a run that comes before they exist makes its own, and a busy Docker does not delay the start.
    const networkPool = settings.container.egress === 'off' ? undefined : new RunNetworkPool(docker, settings.container.owner, settings.networkPoolSize);
    void networkPool?.ready().then(() => logger.info('run networks made ahead', { networkPool: settings.networkPoolSize }));
    const removals = new PendingRemovals(logger);
    // Shutdown runs these last-registered first: the run in flight ends, then its removal, then the idle networks go.
    context.onShutdown(() => networkPool?.close());
    context.onShutdown(() => removals.settled());
    await consumeRunRequests(context, async (request, submitter) => {
      // Read while the claim is answered: both are needed before anything of the run starts.
      const bundlePull = startBundlePull(request, knownBundles);
      const claim = await withSpan('lading', 'claim', { 'lading.run.id': request.runId }, async (span) => {
        const answer = await claimRun(nc, identity, request.runId);
        span.setAttribute('lading.claim', answer);
        return answer;
      });
      if (claim === 'busy') return 'later';
      if (claim === 'unknown') {
        logger.warn('dropped a queued run the broker did not admit', { runId: request.runId });
        return 'done';
      }
      if (claim === 'taken' && !(await records.getRun(request.runId))) {
        logger.info('another runner has claimed this run', { runId: request.runId });
        return 'done';
      }
      const started = performance.now();
      instruments().runsStarted.add(1, { action: request.action });
      logger.info('run taken', { runId: request.runId, installation: request.installation, action: request.action });
      const execute = () =>
        executeRun(request, {
          runnerId: settings.runnerId,
          sign: identity.sign,
          docker,
          registry,
          knownBundles,
          bundlePull,
          records,
          requestLease: (lease) => callEndpoint(nc, endpoints.lease, lease),
          brokerPublicKey: async () => (await callEndpoint(nc, endpoints.brokerPublicKey, {})).publicKey,
          storeSensitiveOutput: (output) => callEndpoint(nc, endpoints.outputsStore, output),
          publishEvent: (event) => nc.publish(subjects.runs.events(submitter, event.runId), JSON.stringify(event)),
          container: { ...settings.container, networkPool },
          allowDockerSocket,
          signaturePolicy: settings.signaturePolicy,
          removeAfterRecord: (removal) => removals.add(removal),
          log: (message, fields) => logger.info(message, fields),
        });
      // A run another runner claimed and left unfinished is only recorded as failed: this runner holds nothing of it.
      const state = claim === 'claimed' ? await holdRun(nc, identity, request, logger, execute) : await execute();
      const outcome = { action: request.action, outcome: state.status };
      instruments().runsFinished.add(1, outcome);
      instruments().runDuration.record(secondsSince(started), outcome);
      logger.info('run finished', { runId: request.runId, status: state.status, exitCode: state.exitCode });
      return 'done';
    });
  },
});
