import { runScopedSecretName, type SecretStore } from '@lading/secrets';
import type { RunRecords } from '@lading/store';
import { LeaseRefusedError } from './lease-refused.js';

/**
 * Which parameters take their value from the installation's last recorded output (CNAB parameter
 * sources; porter.yaml's `source.output`, `persistent` and `state`): each wanted parameter with a
 * source whose output the installation has, by parameter name → output name.
 */
export async function outputSourcedParameters(
  records: RunRecords,
  namespace: string,
  installation: string,
  parameters: ReadonlyArray<{ name: string; source?: { output: string } }>,
): Promise<Record<string, string>> {
  const wanted = parameters.filter((parameter) => parameter.source !== undefined);
  if (wanted.length === 0) return {};
  const recorded = new Set((await records.outputsOf(namespace, installation)).map((output) => output.name));
  return Object.fromEntries(wanted.flatMap(({ name, source }) => (source !== undefined && recorded.has(source.output) ? [[name, source.output]] : [])));
}

/** The values of those outputs: a plain one from the records, a sensitive one from the secret store, where the runner's broker call put it. */
export async function readOutputSourcedValues(
  records: RunRecords,
  store: SecretStore,
  namespace: string,
  installation: string,
  sourced: Record<string, string>,
): Promise<Record<string, string>> {
  if (Object.keys(sourced).length === 0) return {};
  const outputs = new Map((await records.outputsOf(namespace, installation)).map((output) => [output.name, output]));
  const values: Record<string, string> = {};
  for (const [parameter, name] of Object.entries(sourced)) {
    const output = outputs.get(name);
    const value = output === undefined ? undefined : output.sensitive ? (await store.get(runScopedSecretName(output.runId, 'output', name)))?.toString('utf8') : output.value;
    if (value === undefined) {
      throw new LeaseRefusedError('unresolvable', `parameter ${parameter} takes the last value of output ${name} of installation ${installation}, which is gone: pass --param ${parameter}=VALUE`);
    }
    values[parameter] = value;
  }
  return values;
}
