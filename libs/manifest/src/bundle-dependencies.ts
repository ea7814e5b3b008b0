import type { Dependencies } from '@lading/cnab';
import type { Manifest } from './types.js';

/**
 * CNAB's dependencies extension for the manifest's required bundles, each by the digest the build
 * pinned (never a tag, which could move), in Porter's form (`sequence` and `requires`), and the
 * parameter values the manifest hands each one (Lading's own key: CNAB's extension has no place
 * for them). Undefined when the bundle requires none.
 */
export function dependenciesOf(manifest: Manifest): { extension: Dependencies; parameters: Record<string, Record<string, string>> } | undefined {
  const dependencies = manifest.dependencies ?? [];
  if (dependencies.length === 0) return undefined;
  const requires: NonNullable<Dependencies['requires']> = {};
  const parameters: Record<string, Record<string, string>> = {};
  for (const dependency of dependencies) {
    if (dependency.resolved === undefined) throw new Error(`Dependency "${dependency.name}" was not pinned to a digest; resolve the dependencies before writing bundle.json.`);
    requires[dependency.name] = { bundle: dependency.resolved.reference };
    if (Object.keys(dependency.parameters).length > 0) parameters[dependency.name] = dependency.parameters;
  }
  return { extension: { sequence: dependencies.map((d) => d.name), requires }, parameters };
}

