import { dependencyInstallationName } from '@lading/cnab';
import { ownRecord } from '@lading/contracts';
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
  parameters: ReadonlyArray<{ name: string; source?: { output: string; dependency?: string } }>,
): Promise<Record<string, string>> {
  const wanted = parameters.filter((parameter) => parameter.source !== undefined && parameter.source.dependency === undefined);
  if (wanted.length === 0) return ownRecord();
  const recorded = new Set((await records.outputsOf(namespace, installation)).map((output) => output.name));
  return ownRecord(wanted.flatMap<[string, string]>(({ name, source }) => (source !== undefined && recorded.has(source.output) ? [[name, source.output]] : [])));
}

/** An output of a required bundle's installation, and whether the parameter it is handed to is masked. */
export interface DependencyOutputSource {
  installation: string;
  output: string;
  sensitive: boolean;
}

const sensitiveAsPlain = (output: string, installation: string) =>
  new LeaseRefusedError('conflict', `output ${output} of installation ${installation} is sensitive, but the bundle reads it as a plain value: rebuild the bundle against the one ${installation} runs`);

/**
 * Which parameters take their value from an output of a required bundle's installation
 * (`<installation>-<alias>`), looked up in the run's own namespace only: parameter → that
 * installation and output. A principal reaches no other namespace's outputs through a
 * dependency, whatever the bundle names.
 */
export async function dependencyOutputParameters(
  records: RunRecords,
  namespace: string,
  installation: string,
  parameters: ReadonlyArray<{ name: string; sensitive: boolean; source?: { output: string; dependency?: string } }>,
): Promise<Record<string, DependencyOutputSource>> {
  const sourced = ownRecord<DependencyOutputSource>();
  for (const { name, sensitive, source } of parameters) {
    if (source?.dependency === undefined) continue;
    const dependency = dependencyInstallationName(installation, source.dependency);
    const recorded = (await records.outputsOf(namespace, dependency)).find((output) => output.name === source.output);
    if (recorded === undefined) continue;
    // The installation may run another bundle than the one the parent was built against: a secret never goes where it would be shown.
    if (recorded.sensitive && !sensitive) throw sensitiveAsPlain(source.output, dependency);
    sourced[name] = { installation: dependency, output: source.output, sensitive };
  }
  return sourced;
}

/**
 * The values of those outputs: a plain one from the records, a sensitive one from the secret
 * store, where the runner's broker call put it; each of `installation` unless the entry names
 * another installation of the same namespace (a required bundle's).
 */
export async function readOutputSourcedValues(
  records: RunRecords,
  store: SecretStore,
  namespace: string,
  installation: string,
  sourced: Record<string, string | DependencyOutputSource>,
): Promise<Record<string, string>> {
  const values = ownRecord<string>();
  for (const [parameter, entry] of Object.entries(sourced)) {
    const { installation: owner, output: name } = typeof entry === 'string' ? { installation, output: entry } : entry;
    const output = (await records.outputsOf(namespace, owner)).find((recorded) => recorded.name === name);
    // Checked again for the lease: the required bundle's installation may have run since the admission.
    if (typeof entry !== 'string' && output?.sensitive === true && !entry.sensitive) throw sensitiveAsPlain(name, owner);
    const value = output === undefined ? undefined : output.sensitive ? (await store.get(runScopedSecretName(output.runId, 'output', name)))?.toString('utf8') : output.value;
    if (value === undefined) {
      throw new LeaseRefusedError('unresolvable', `parameter ${parameter} takes the last value of output ${name} of installation ${owner}, which is gone: pass --param ${parameter}=VALUE`);
    }
    values[parameter] = value;
  }
  return values;
}
