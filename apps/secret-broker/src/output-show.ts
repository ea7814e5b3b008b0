import { sealingContexts, type OutputShowReply, type OutputShowRequest } from '@lading/contracts';
import { runScopedSecretName, seal, type SecretStore } from '@lading/secrets';
import { ServiceFailure } from '@lading/service-kit';
import type { RunRecords } from '@lading/store';

/**
 * One output of an installation's last run that produced it, sealed to the caller's one-call
 * key. A sensitive value is read from the secret store at this moment and exists in clear only
 * in this process's memory and in the caller's.
 */
export async function showOutput(request: OutputShowRequest, runs: RunRecords, store: SecretStore): Promise<OutputShowReply> {
  const { installation, namespace, output, publicKey } = request;
  const record = (await runs.outputsOf(namespace, installation)).find((candidate) => candidate.name === output);
  if (!record) {
    throw new ServiceFailure('not_found', `installation ${installation} has no output named ${output}: see \`lading installations outputs ${installation}\``);
  }
  const value = record.sensitive ? await store.get(runScopedSecretName(record.runId, 'output', output)) : Buffer.from(record.value ?? '');
  if (!value) {
    throw new ServiceFailure('not_found', `the stored value of sensitive output ${output} of run ${record.runId} is missing from the secret store`);
  }
  let sealed;
  try {
    sealed = seal(value, publicKey, sealingContexts.outputShow(installation, output));
  } catch {
    throw new ServiceFailure('invalid_request', 'publicKey must be a raw 32-byte X25519 public key in base64');
  } finally {
    value.fill(0);
  }
  return { output, runId: record.runId, sensitive: record.sensitive, sealed };
}
