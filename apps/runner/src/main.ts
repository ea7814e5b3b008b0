import { endpoints, subjects } from '@lading/contracts';
import { executeRun } from '@lading/execution';
import { RegistryClient } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, removeLeftoverContainers } from '@lading/runtime';
import { callEndpoint, openBucket, runService } from '@lading/service-kit';
import { RunRecords } from '@lading/store';
import { serveInstallationQueries } from './queries.js';
import { consumeRunRequests } from './work-queue.js';

await runService({
  role: 'runner',
  version: '0.1.0',
  description: 'Runs bundle actions in hardened containers and keeps installations, runs, outputs and logs',
  async start(context) {
    const { nc, logger, counters } = context;
    const env = process.env;
    const docker = connectDocker();
    await ensureDockerAvailable(docker);
    const runnerId = env.LADING_RUNNER_ID ?? 'runner-1';
    // A container left by this runner's previous life (killed mid-run) still holds that run's values.
    const leftovers = await removeLeftoverContainers(docker, { 'sh.lading.runner': runnerId });
    if (leftovers.length > 0) logger.warn('removed containers left by an earlier run of this runner', { count: leftovers.length });
    const registry = new RegistryClient({ registry: env.LADING_REGISTRY ?? '127.0.0.1:5000' });
    const socketAllowed = new Set((env.LADING_DOCKER_SOCKET_BUNDLES ?? '').split(',').filter(Boolean));
    const records = await RunRecords.open((name) => openBucket(nc, name));
    serveInstallationQueries(context, records);
    await consumeRunRequests(context, async (request, submitter) => {
      counters.increment('runs_started');
      logger.info('run taken', { runId: request.runId, installation: request.installation, action: request.action });
      const state = await executeRun(request, {
        runnerId,
        docker,
        registry,
        records,
        requestLease: (lease) => callEndpoint(nc, endpoints.lease, lease),
        brokerPublicKey: async () => (await callEndpoint(nc, endpoints.brokerPublicKey, {})).publicKey,
        storeSensitiveOutput: (output) => callEndpoint(nc, endpoints.outputsStore, output),
        publishEvent: (event) => nc.publish(subjects.runs.events(submitter, event.runId), JSON.stringify(event)),
        allowDockerSocket: (repository) => socketAllowed.has(repository),
        log: (message, fields) => logger.info(message, fields),
      });
      counters.increment(state.status === 'succeeded' ? 'runs_succeeded' : 'runs_failed');
      logger.info('run finished', { runId: request.runId, status: state.status, exitCode: state.exitCode });
    });
  },
});
