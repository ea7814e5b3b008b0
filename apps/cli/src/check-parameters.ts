import { bundleNeeds, commandLineProblem, declaresAction } from '@lading/cnab';
import { fetchBundle } from './bundle-fetch.js';
import { UserError } from './user-error.js';

/**
 * Refuses --param values the bundle's action does not take, or that break their type or JSON
 * Schema, before anything is sealed or submitted. The broker checks them again when it admits
 * the run; this spares a round trip and says it where the value was typed.
 */
export async function checkParameters(bundleReference: string, action: string, parameters: Record<string, string>): Promise<void> {
  if (Object.keys(parameters).length === 0) return;
  const bundle = await fetchBundle(bundleReference, undefined);
  // An unknown action is the broker's to refuse, with its own sentence.
  if (!declaresAction(bundle, action)) return;
  const problem = commandLineProblem(bundleNeeds(bundle, action), parameters);
  if (problem) throw new UserError(problem);
}

