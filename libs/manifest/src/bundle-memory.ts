import { DEPENDENCY_OUTPUT_SOURCE, type BundleOutput, type BundleParameter, type JsonSchemaDefinition, type ParameterSources } from '@lading/cnab';
import { OUTPUTS_DIR, STATE_VALUE_NAME } from './constants.js';
import { STATE_INPUT_PATH, stateActions } from './state-files.js';
import type { Manifest } from './types.js';

/** CNAB's parameter-sources extension: each parameter whose value, when not given, is the installation's last output of a name. */
export function parameterSourcesOf(manifest: Manifest): ParameterSources | undefined {
  const sourced: ParameterSources = {};
  for (const parameter of manifest.parameters) {
    const source = parameter.source;
    if (source === undefined) continue;
    sourced[parameter.name] =
      source.dependency === undefined
        ? { priority: ['output'], sources: { output: { name: source.output } } }
        : { priority: [DEPENDENCY_OUTPUT_SOURCE], sources: { [DEPENDENCY_OUTPUT_SOURCE]: { dependency: source.dependency, name: source.output } } };
  }
  if ((manifest.state ?? []).length > 0) sourced[STATE_VALUE_NAME] = { priority: ['output'], sources: { output: { name: STATE_VALUE_NAME } } };
  return Object.keys(sourced).length === 0 ? undefined : sourced;
}

/**
 * The parameter and output the state files travel in. Porter records them in plain; Lading
 * marks both sensitive (`writeOnly`), so the state lives in the secret store only, and leaves
 * the output out of custom actions that do not modify the installation.
 */
export function stateEntries(manifest: Manifest): { parameter: BundleParameter; output: BundleOutput; definition: JsonSchemaDefinition } | undefined {
  if ((manifest.state ?? []).length === 0) return undefined;
  const definition = `${STATE_VALUE_NAME}-state`;
  const kept = stateActions(manifest);
  const everyAction = kept.length === Object.keys(manifest.actions).length;
  return {
    parameter: { definition, destination: { path: STATE_INPUT_PATH }, required: false, description: 'The state files of the installation, kept by Lading; never set by hand.' },
    output: { definition, path: `${OUTPUTS_DIR}/${STATE_VALUE_NAME}`, ...(everyAction ? {} : { applyTo: kept }) },
    definition: { type: 'string', writeOnly: true, $comment: 'lading-internal' },
  };
}
