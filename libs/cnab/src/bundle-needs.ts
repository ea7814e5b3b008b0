import { parameterSchemaProblem } from './parameter-schema.js';
import { parameterSourceDependencyOutput, parameterSourceOutput } from './parameter-sources.js';
import { parameterValueProblem } from './parameter-values.js';
import { valueSizeProblem } from './value-limits.js';
import { hasOwnName, ownValue, type Bundle, type JsonSchemaDefinition } from '@lading/contracts';
import { appliesTo, isSensitiveOutput, isSensitiveParameter } from './value-rules.js';

export interface NeededParameter {
  name: string;
  required: boolean;
  sensitive: boolean;
  env?: string;
  path?: string;
  default?: unknown;
  type?: string;
  /** Its bundle.json definition: the JSON Schema every value is checked against. */
  schema?: JsonSchemaDefinition;
  /**
   * The output whose last value the parameter takes when not given (CNAB parameter sources), and
   * whether it is sensitive; with `dependency`, an output of that required bundle's installation.
   */
  source?: { output: string; sensitive: boolean; dependency?: string };
}

export interface BundleNeeds {
  credentials: Array<{ name: string; required: boolean; env?: string; path?: string }>;
  parameters: Array<NeededParameter>;
  outputs: Array<{ name: string; sensitive: boolean }>;
}

function sourceOf(bundle: Bundle, parameter: string): { source?: NonNullable<NeededParameter['source']> } {
  const fromDependency = parameterSourceDependencyOutput(bundle, parameter);
  // The wiring parameter carries the required bundle's sensitivity, fixed when the parent was built.
  if (fromDependency !== undefined) return { source: { ...fromDependency, sensitive: isSensitiveParameter(bundle, parameter) } };
  const output = parameterSourceOutput(bundle, parameter);
  return output === undefined ? {} : { source: { output, sensitive: isSensitiveOutput(bundle, output) } };
}

/** What a bundle's action takes and gives: the credentials, parameters and outputs that apply to it. */
export function bundleNeeds(bundle: Bundle, action: string): BundleNeeds {
  const credentials = Object.entries(bundle.credentials ?? {})
    .filter(([, credential]) => appliesTo(credential.applyTo, action))
    .map(([name, credential]) => ({ name, required: credential.required === true, env: credential.env, path: credential.path }));
  const parameters = Object.entries(bundle.parameters ?? {})
    .filter(([, parameter]) => appliesTo(parameter.applyTo, action))
    .map(([name, parameter]) => {
      const schema = ownValue(bundle.definitions, parameter.definition);
      const definition = schema ?? {};
      return {
        name,
        required: parameter.required === true,
        sensitive: isSensitiveParameter(bundle, name),
        env: parameter.destination?.env,
        path: parameter.destination?.path,
        default: (definition as { default?: unknown }).default,
        type: (definition as { type?: string }).type,
        schema,
        ...sourceOf(bundle, name),
      };
    });
  const outputs = Object.entries(bundle.outputs ?? {})
    .filter(([, output]) => appliesTo(output.applyTo, action))
    .map(([name]) => ({ name, sensitive: isSensitiveOutput(bundle, name) }));
  return { credentials, parameters, outputs };
}

/** Whether the bundle declares the action at all (built-in or custom). */
export function declaresAction(bundle: Bundle, action: string): boolean {
  return ['install', 'upgrade', 'uninstall'].includes(action) || hasOwnName(bundle.actions, action);
}

/** Why a parameter value does not fit its declared type (read strictly), or undefined when it does. */
export function parameterTypeProblem(name: string, type: string | undefined, value: string): string | undefined {
  return parameterValueProblem(name, type, value);
}

/** The text a default stands for, as a value given on the command line would be written. */
export function defaultText(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * Why a value does not fit the parameter: its type (read strictly), its size for where it is
 * delivered, then the JSON Schema of its definition (minimum, enum, pattern…); undefined when it fits.
 */
export function parameterProblem(parameter: NeededParameter, value: string): string | undefined {
  return (
    parameterTypeProblem(parameter.name, parameter.type, value) ??
    valueSizeProblem(`parameter ${parameter.name}`, value, parameter.env !== undefined) ??
    parameterSchemaProblem(parameter.name, parameter.schema, value)
  );
}

/**
 * Why command-line parameters do not fit the action — an unknown name, a value too large for
 * where it is delivered, a value not of its type (read strictly) or outside its JSON Schema — or
 * undefined. The CLI asks before it submits a run and the broker before it admits one, so
 * nothing is stored or queued for such a request.
 */
export function commandLineProblem(needs: BundleNeeds, commandLine: Record<string, string>): string | undefined {
  const declared = new Map(needs.parameters.map((parameter) => [parameter.name, parameter]));
  for (const [name, value] of Object.entries(commandLine)) {
    const parameter = declared.get(name);
    if (!parameter) return `the bundle has no parameter ${name} for this action`;
    const problem = parameterProblem(parameter, value);
    if (problem) return problem;
  }
  return undefined;
}
