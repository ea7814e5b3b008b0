import { bundleNeeds, declaresAction } from '@lading/cnab';
import { ownValue } from '@lading/contracts';
import { fetchBundle } from './bundle-fetch.js';
import type { DependencyRun } from './dependency-runs.js';

// Loaded only when a bundle requires others: reading what a bundle's action takes validates the
// bundle whole, with the JSON Schema validator that runs of other bundles never load.

/**
 * What a required bundle's run of `action` takes: whether its bundle has the action at all (a
 * custom one it lacks is passed over), and the values it is handed that the action takes (the
 * manifest hands a bundle its values for every action it runs). Uninstall runs the bundle its
 * installation recorded and takes only what is given now.
 */
export async function dependencyAction(dependency: DependencyRun, action: string, given: Record<string, Record<string, string>>): Promise<{ runs: boolean; parameters: Record<string, string> }> {
  if (action === 'uninstall') return { runs: true, parameters: { ...ownValue(given, dependency.alias) } };
  const bundle = await fetchBundle(dependency.bundle, undefined);
  if (!declaresAction(bundle, action)) return { runs: false, parameters: {} };
  const taken = new Set(bundleNeeds(bundle, action).parameters.map(({ name }) => name));
  return { runs: true, parameters: Object.fromEntries(Object.entries(dependency.parameters).filter(([name]) => taken.has(name))) };
}
