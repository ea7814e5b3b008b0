import { ownRecord, ownValue, runSourceKey, type RunAdmission, type RunInput, type SetKey } from '@lading/contracts';
import { describeSet, isCallerResolved, secretSourceName, sourceKindOf, sourceKinds, type SecretStore } from '@lading/secrets';
import type { RunRecords, SetStore } from '@lading/store';
import { LeaseRefusedError } from './lease-refused.js';
import { readOutputSourcedValues, type DependencyOutputSource } from './output-sources.js';
import { rememberedValues } from './remembered-values.js';

type Kind = 'credentials' | 'parameters';

interface Found {
  set: SetKey;
  label: string;
  source: Record<string, unknown>;
}

/**
 * Loads a run's sets, refusing a set outside the installation's namespace (a run may not draw
 * on another team's sets) and one that does not exist. Later sets override earlier ones, as on
 * Porter's command line.
 */
export async function loadMappings(store: SetStore, kind: Kind, keys: SetKey[], namespace: string, installation: string): Promise<Map<string, Found>> {
  const mappings = new Map<string, Found>();
  for (const key of keys) {
    if (key.namespace !== namespace) {
      throw new LeaseRefusedError('forbidden', `${describeSet(kind, key)} belongs to another namespace than installation ${installation}`);
    }
    const entries = await store.mappings(key);
    if (!entries) throw new LeaseRefusedError('not_found', `${describeSet(kind, key)} does not exist: apply it with \`lading ${kind} apply\``);
    for (const mapping of entries) mappings.set(mapping.name, { set: key, label: describeSet(kind, key), source: mapping.source });
  }
  return mappings;
}

export type PlannedSource = { secret: string } | { given: string };

/**
 * Where one entry's value comes from: the broker's store, by a name confined to the set's
 * namespace, or the value the caller's CLI resolved (`env`, `path`, `command`). The broker
 * never reads a path, runs a command or reads an environment variable a set names.
 */
export function planSource(kind: Kind, entry: string, found: Found, input: RunInput): PlannedSource {
  const sourceKind = sourceKindOf(found.source);
  const ref = sourceKind ? found.source[sourceKind] : undefined;
  if (sourceKind === 'secret' && typeof ref === 'string') {
    const name = secretSourceName(ref, { kind, namespace: found.set.namespace, name: found.set.name, entry });
    if (!name) throw new LeaseRefusedError('forbidden', `${found.label} entry ${entry} names a secret outside namespace "${found.set.namespace}"`);
    return { secret: name };
  }
  // A stored set holds no `value` source: those were moved into the store when it was applied.
  if (isCallerResolved(found.source)) {
    const given = ownValue(input.sources, runSourceKey(kind, found.set, entry));
    if (given === undefined) {
      throw new LeaseRefusedError('unresolvable', `${found.label} entry ${entry} is a ${sourceKind} source, which the lading command resolves; it was not sent with the run`);
    }
    return { given };
  }
  throw new LeaseRefusedError('invalid_request', `${found.label} entry ${entry} has an unknown source kind: use ${sourceKinds.join(', ')}`);
}

export interface RunValues {
  credentials: Record<string, string>;
  parameters: Record<string, string>;
}

async function valueOf(planned: PlannedSource, store: SecretStore, what: string): Promise<string> {
  if ('given' in planned) return planned.given;
  const value = await store.get(planned.secret);
  if (!value) throw new LeaseRefusedError('unresolvable', `${what}: secret ${planned.secret} does not exist in the store`);
  return value.toString('utf8');
}

/**
 * Resolves exactly the values the admitted run's action needs, from broker-owned state and the
 * run's own input. Without `records`, the values that come from the installation's outputs are
 * left out (what an installation remembers never holds them: its outputs do).
 */
export async function resolveRunValues(
  admission: RunAdmission,
  input: RunInput,
  sets: { credentials: SetStore; parameters: SetStore },
  store: SecretStore,
  records?: RunRecords,
): Promise<RunValues> {
  const { namespace, installation } = admission;
  const [credentialMappings, parameterMappings] = await Promise.all([
    loadMappings(sets.credentials, 'credentials', admission.credentialSets, namespace, installation),
    loadMappings(sets.parameters, 'parameters', admission.parameterSets, namespace, installation),
  ]);
  // Keyed by names the bundle chose: records without a prototype, so none of them lends a value.
  const values: RunValues = { credentials: ownRecord(), parameters: ownRecord() };
  // Admitted as reused from the installation's last successful runs: read from what it remembers.
  const reused = new Set<string>();
  const fromOutputs = ownRecord<string | DependencyOutputSource>();
  // Every value is read at once: the lease waits for the slowest read, not for their sum.
  const reads: Array<Promise<void>> = [];
  for (const wanted of admission.wantedCredentials) {
    const found = credentialMappings.get(wanted.name);
    if (!found) {
      if (!wanted.required) continue;
      throw new LeaseRefusedError('unresolvable', `credential ${wanted.name} is required for action ${admission.action} but no credential set of the run maps it: pass one with --cred`);
    }
    const planned = planSource('credentials', wanted.name, found, input);
    reads.push(valueOf(planned, store, `${found.label} entry ${wanted.name}`).then((value) => void (values.credentials[wanted.name] = value)));
  }
  for (const wanted of admission.wantedParameters) {
    const given = ownValue(input.parameters, wanted.name);
    if (given !== undefined) {
      values.parameters[wanted.name] = given;
      continue;
    }
    const found = parameterMappings.get(wanted.name);
    if (!found) {
      const output = ownValue(admission.outputSourcedParameters, wanted.name) ?? ownValue(admission.dependencyOutputParameters, wanted.name);
      if (output !== undefined) fromOutputs[wanted.name] = output;
      else if (admission.reusedParameters?.includes(wanted.name)) reused.add(wanted.name);
      continue;
    }
    const planned = planSource('parameters', wanted.name, found, input);
    reads.push(valueOf(planned, store, `${found.label} entry ${wanted.name}`).then((value) => void (values.parameters[wanted.name] = value)));
  }
  if (reused.size > 0) {
    const remembered = await rememberedValues(store, namespace, installation);
    for (const name of reused) {
      const value = ownValue(remembered, name);
      if (value === undefined) throw new LeaseRefusedError('unresolvable', `the remembered value of parameter ${name} of installation ${installation} is gone: pass --param ${name}=VALUE`);
      values.parameters[name] = value;
    }
  }
  if (records !== undefined && Object.keys(fromOutputs).length > 0) Object.assign(values.parameters, await readOutputSourcedValues(records, store, namespace, installation, fromOutputs));
  await Promise.all(reads);
  return values;
}
