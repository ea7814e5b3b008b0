import { ownValue, type Bundle, type ParameterSources } from '@lading/contracts';

/** bundle.json `custom` key of CNAB's parameter-sources extension: a parameter's value from an earlier output of the installation. */
export const PARAMETER_SOURCES_EXTENSION = 'io.cnab.parameter-sources';

/** The output a parameter takes its value from when it is not given, if the bundle says so. */
export function parameterSourceOutput(bundle: Bundle, parameter: string): string | undefined {
  const sources = bundle.custom?.[PARAMETER_SOURCES_EXTENSION] as ParameterSources | undefined;
  const entry = ownValue(sources, parameter);
  if (entry?.priority !== undefined && !entry.priority.includes('output')) return undefined;
  return entry?.sources?.output?.name;
}

/** Porter's source type for an output of a required bundle (dependencies v1). */
export const DEPENDENCY_OUTPUT_SOURCE = 'dependencies.output';

/** The output of a required bundle a parameter takes its value from, if the bundle says so. */
export function parameterSourceDependencyOutput(bundle: Bundle, parameter: string): { dependency: string; output: string } | undefined {
  const sources = bundle.custom?.[PARAMETER_SOURCES_EXTENSION] as ParameterSources | undefined;
  const entry = ownValue(sources, parameter);
  if (entry?.priority !== undefined && !entry.priority.includes(DEPENDENCY_OUTPUT_SOURCE)) return undefined;
  const source = entry?.sources?.[DEPENDENCY_OUTPUT_SOURCE];
  return source === undefined ? undefined : { dependency: source.dependency, output: source.name };
}
