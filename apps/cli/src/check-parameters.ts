import { parameterValueProblem, valueSizeProblem } from '@lading/cnab';
import { UserError } from './user-error.js';

interface DeclaredParameter {
  definition?: string;
  destination?: { env?: string; path?: string };
}

/**
 * Refuses `--param` values the bundle cannot take — an unknown name, a value that is not of its
 * type, a value too large for where it is delivered — before anything is stored or queued. The
 * runner checks again, as it must not trust the request.
 */
export function checkCommandLineParameters(bundle: Record<string, unknown>, given: Record<string, string>): void {
  const parameters = (bundle.parameters ?? {}) as Record<string, DeclaredParameter>;
  const definitions = (bundle.definitions ?? {}) as Record<string, { type?: string }>;
  for (const [name, value] of Object.entries(given)) {
    const declared = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
    if (!declared) throw new UserError(`the bundle has no parameter ${name}`);
    const type = declared.definition ? definitions[declared.definition]?.type : undefined;
    const problem = parameterValueProblem(name, type, value) ?? valueSizeProblem(`parameter ${name}`, value, declared.destination?.env !== undefined);
    if (problem) throw new UserError(problem);
  }
}
