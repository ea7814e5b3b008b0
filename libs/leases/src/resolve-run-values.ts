import type { RunState, SetKey } from '@lading/contracts';
import { resolveValue, type SecretStore } from '@lading/secrets';
import type { SetStore } from '@lading/store';
import { LeaseRefusedError } from './lease-refused.js';

interface Mapping {
  name: string;
  source: Record<string, unknown>;
}

function describeSet(kind: string, key: SetKey): string {
  return `${kind} set "${key.namespace ? `${key.namespace}/` : ''}${key.name}"`;
}

/**
 * Loads the run's sets, refusing any set outside the installation's namespace (a run may not
 * draw on another team's sets). Later sets override earlier ones, as on Porter's command line.
 */
async function loadMappings(store: SetStore, kind: string, keys: SetKey[], run: RunState) {
  const mappings = new Map<string, { mapping: Mapping; label: string }>();
  for (const key of keys) {
    if (key.namespace && key.namespace !== run.namespace) {
      throw new LeaseRefusedError('forbidden', `${describeSet(kind, key)} belongs to another namespace than installation ${run.installation}`);
    }
    const entries = await store.mappings(key);
    if (!entries) throw new LeaseRefusedError('not_found', `${describeSet(kind, key)} does not exist: apply it with \`lading ${kind === 'credential' ? 'credentials' : 'parameters'} apply\``);
    for (const mapping of entries) mappings.set(mapping.name, { mapping, label: describeSet(kind, key) });
  }
  return mappings;
}

export interface RunValues {
  credentials: Record<string, string>;
  parameters: Record<string, string>;
}

/** Resolves, from their sources, exactly the values this run's action needs. */
export async function resolveRunValues(
  run: RunState,
  sets: { credentials: SetStore; parameters: SetStore },
  store: SecretStore,
  env: Record<string, string | undefined>,
): Promise<RunValues> {
  const credentialMappings = await loadMappings(sets.credentials, 'credential', run.credentialSets, run);
  const parameterMappings = await loadMappings(sets.parameters, 'parameter', run.parameterSets, run);
  const values: RunValues = { credentials: {}, parameters: {} };

  for (const wanted of run.wantedCredentials) {
    const found = credentialMappings.get(wanted.name);
    if (!found) {
      if (!wanted.required) continue;
      throw new LeaseRefusedError(
        'unresolvable',
        `credential ${wanted.name} is required for action ${run.action} but no credential set of the run maps it: pass one with --cred`,
      );
    }
    const value = await resolveValue(found.mapping.source, { setLabel: found.label, entryName: wanted.name, env, store });
    values.credentials[wanted.name] = value.toString('utf8');
  }
  for (const name of run.wantedParameters) {
    const found = parameterMappings.get(name);
    if (!found) continue;
    const value = await resolveValue(found.mapping.source, { setLabel: found.label, entryName: name, env, store });
    values.parameters[name] = value.toString('utf8');
  }
  for (const [name, secretName] of Object.entries(run.sensitiveParameterSecrets)) {
    const value = await store.get(secretName);
    if (!value) throw new LeaseRefusedError('not_found', `the stored value of sensitive parameter ${name} is missing`);
    values.parameters[name] = value.toString('utf8');
  }
  return values;
}
