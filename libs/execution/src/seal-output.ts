import { sealingContexts } from '@lading/contracts';
import { seal } from '@lading/secrets';
import type { ExecutionDependencies } from './types.js';

/** Seals one sensitive output to the broker, which keeps it in the secret store. */
export async function sealOutput(deps: ExecutionDependencies, runId: string, installation: string, output: string, value: Buffer) {
  const sealed = seal(value, await deps.brokerPublicKey(), sealingContexts.output(runId, output));
  return deps.storeSensitiveOutput({ runId, installation, output, sealed });
}
