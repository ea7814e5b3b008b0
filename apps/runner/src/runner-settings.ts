import { parseBundleDigests, parseCpuLimit, parseEgress, parseNetworkPoolSize, RuntimeError, type BundleContainerSettings, type BundleDigests } from '@lading/runtime';
import type { SignaturePolicy } from '@lading/execution';
import { readSettings, runnerSettings } from '@lading/service-kit/settings';
import { resolveRunnerId, resolveStackId, RunnerSettingsError } from './runner-identity.js';
import { readSignaturePolicy } from './signature-policy-file.js';

export interface RunnerSettings {
  runnerId: string;
  container: BundleContainerSettings;
  /** How many run networks are kept made ahead of the runs that take them. */
  networkPoolSize: number;
  /** Bundle digests the operator grants the Docker socket. */
  dockerSocketBundles: BundleDigests;
  /** The registry front door bundles are pulled through. */
  registry: string;
  /** Which repositories' bundles must be signed, and by which keys. */
  signaturePolicy: SignaturePolicy;
}

/** Everything the runner reads from its environment, checked before it touches Docker or NATS. */
export async function readRunnerSettings(env: NodeJS.ProcessEnv): Promise<RunnerSettings> {
  const settings = readSettings(runnerSettings, env);
  const { runEgress, runCpus, runNetworkPool, dockerSocketBundles } = runnerSettings;
  try {
    const runnerId = await resolveRunnerId(env);
    return {
      runnerId,
      container: {
        owner: { runnerId, stackId: resolveStackId(env) },
        egress: parseEgress(runEgress.name, settings.runEgress),
        nanoCpus: parseCpuLimit(runCpus.name, settings.runCpus),
      },
      networkPoolSize: parseNetworkPoolSize(runNetworkPool.name, settings.runNetworkPool),
      dockerSocketBundles: parseBundleDigests(dockerSocketBundles.name, settings.dockerSocketBundles),
      registry: settings.registry,
      signaturePolicy: await readSignaturePolicy(settings.signaturePolicy),
    };
  } catch (error) {
    if (error instanceof RuntimeError) throw new RunnerSettingsError(error.message);
    throw error;
  }
}
