import type { ContainerOwner, RemovedLeftovers } from '@lading/runtime';
import { RuntimeError } from '@lading/runtime';
import type { Logger } from '@lading/service-kit';
import { RunnerSettingsError } from './runner-identity.js';
import { readRunnerSettings, type RunnerSettings } from './runner-settings.js';

export interface RunnerHost {
  ensureDocker(): Promise<void>;
  isolateRunNetworks(): Promise<void>;
  removeLeftovers(owner: ContainerOwner): Promise<RemovedLeftovers>;
}

/**
 * What a runner does before it takes any run: read and check its settings, make sure bundles
 * cannot reach the host, and clear what its own previous life left (a container killed mid-run
 * still holds that run's values). A setting or host it cannot work with stops it with one
 * sentence, before any run is taken.
 */
export async function prepareRunner(env: NodeJS.ProcessEnv, logger: Logger, host: RunnerHost): Promise<RunnerSettings> {
  try {
    const settings = await readRunnerSettings(env);
    await host.ensureDocker();
    await host.isolateRunNetworks();
    const { owner } = settings.container;
    const left = await host.removeLeftovers(owner);
    if (left.containers.length + left.networks.length > 0) {
      logger.warn('removed bundle containers and networks left by an earlier life of this runner', { ...owner, containers: left.containers.length, networks: left.networks.length });
    }
    logger.info('runner identity', { ...owner, egress: settings.container.egress, networkPool: settings.networkPoolSize, nanoCpus: settings.container.nanoCpus, dockerSocketBundles: settings.dockerSocketBundles.size });
    return settings;
  } catch (error) {
    if (!(error instanceof RunnerSettingsError || error instanceof RuntimeError)) throw error;
    logger.error('cannot start', { error: error.message });
    process.exit(1);
  }
}
