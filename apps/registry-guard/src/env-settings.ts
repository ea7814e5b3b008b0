/**
 * A positive whole number from the environment, or undefined when the variable is unset so the
 * library's default applies. Anything else stops the service with one sentence naming the variable.
 */
export function positiveWholeNumber(env: NodeJS.ProcessEnv, name: string, unit: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive whole number of ${unit}, not "${value}"`);
  return parsed;
}
