import { parseBundleDigests, parseCpuLimit, parseEgress, parseNetworkPoolSize, RuntimeError, type BundleContainerSettings, type BundleDigests } from '@lading/runtime';
import type { SignaturePolicy } from '@lading/execution';
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
  try {
    const runnerId = await resolveRunnerId(env);
    return {
      runnerId,
      container: {
        owner: { runnerId, stackId: resolveStackId(env) },
        egress: parseEgress('LADING_RUN_EGRESS', env.LADING_RUN_EGRESS),
        nanoCpus: parseCpuLimit('LADING_RUN_CPUS', env.LADING_RUN_CPUS),
      },
      networkPoolSize: parseNetworkPoolSize('LADING_RUN_NETWORK_POOL', env.LADING_RUN_NETWORK_POOL),
      dockerSocketBundles: parseBundleDigests('LADING_DOCKER_SOCKET_BUNDLES', env.LADING_DOCKER_SOCKET_BUNDLES),
      registry: env.LADING_REGISTRY ?? '127.0.0.1:5000',
      signaturePolicy: await readSignaturePolicy(env.LADING_SIGNATURE_POLICY),
    };
  } catch (error) {
    if (error instanceof RuntimeError) throw new RunnerSettingsError(error.message);
    throw error;
  }
}
