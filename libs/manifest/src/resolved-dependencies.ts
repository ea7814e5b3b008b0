import { ownValue } from '@lading/contracts';
import { dependencyOutputWiringName } from './parse-output-wiring.js';
import type { Manifest, ResolvedDependency } from './types.js';

/**
 * The manifest with what the build read of each required bundle (by digest): the wiring
 * parameters take the sensitivity of the output they carry, so a sensitive output stays masked
 * in the parent's logs and a plain one reads as it is. Returns the problems instead when the
 * manifest reads an output the required bundle does not have, or hands it a parameter it does not
 * take (Porter finds the second only when it installs).
 */
export function applyResolvedDependencies(manifest: Manifest, resolved: Record<string, ResolvedDependency>): Manifest | string[] {
  const problems: string[] = [];
  const dependencies = (manifest.dependencies ?? []).map((dependency) => {
    const found = ownValue(resolved, dependency.name);
    if (found === undefined) throw new Error(`Dependency "${dependency.name}" was not resolved; resolve every entry of dependencies.requires first.`);
    for (const parameter of Object.keys(dependency.parameters)) {
      if (!found.parameters.includes(parameter)) {
        problems.push(`dependencies.requires ${dependency.name} hands parameter ${parameter} to ${found.reference}, which has no such parameter`);
      }
    }
    return { ...dependency, resolved: found };
  });
  const parameters = manifest.parameters.map((parameter) => {
    const dependency = parameter.source?.dependency;
    if (dependency === undefined || parameter.source === undefined) return parameter;
    const output = ownValue(ownValue(resolved, dependency)?.outputs, parameter.source.output);
    if (output === undefined) {
      problems.push(`the steps read output ${parameter.source.output} of dependency ${dependency}, which ${ownValue(resolved, dependency)?.reference ?? 'it'} does not declare`);
      return parameter;
    }
    // A parameter the manifest declares keeps its own mark, which may not be weaker than the output's.
    if (parameter.name !== dependencyOutputWiringName(dependency, parameter.source.output)) {
      if (output.sensitive && !parameter.sensitive) problems.push(`parameter ${parameter.name} takes the sensitive output ${parameter.source.output} of dependency ${dependency}; mark it sensitive: true`);
      return parameter;
    }
    return { ...parameter, sensitive: output.sensitive };
  });
  return problems.length > 0 ? problems : { ...manifest, parameters, dependencies };
}
