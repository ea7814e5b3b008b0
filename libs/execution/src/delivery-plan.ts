import { commandLineProblem, defaultText, parameterProblem, valueSizeProblem, type BundleNeeds, type NeededParameter } from '@lading/cnab';
import { SECRETS_DIR } from '@lading/manifest';
import { ownValue, type LeasePayload } from '@lading/contracts';
import { RunRefusedError } from './types.js';

export interface DeliveryPlan {
  env: Record<string, string>;
  files: Record<string, string>;
  /**
   * Every value that must be masked in logs and outputs: every value the run was leased, whether
   * the bundle declares it sensitive or not, and the defaults of sensitive parameters.
   */
  secretValues: string[];
  /**
   * The values no output may carry out of the run: the secret values less those of parameters
   * that take their value from an output, which hand that output's own value back to it.
   */
  outputSecretValues: string[];
}

/** A value from the lease (a set's secret, say) is checked like one given on the command line, before any container starts. */
function checkValue(parameter: NeededParameter, value: string): void {
  const problem = parameterProblem(parameter, value);
  if (problem) throw new RunRefusedError(problem);
}

/**
 * Refuses command-line parameters the action does not take or whose value does not fit their
 * type. Runs before the lease, so a run that cannot start never has its secret values resolved.
 */
export function checkCommandLine(needs: BundleNeeds, commandLine: Record<string, string>): void {
  const problem = commandLineProblem(needs, commandLine);
  if (problem) throw new RunRefusedError(problem);
}

/**
 * Decides how each value reaches the bundle: env values through the run script's own process,
 * file values onto the tmpfs at /cnab/secrets (the image links the declared path there).
 */
export function planDelivery(needs: BundleNeeds, commandLine: Record<string, string>, lease: LeasePayload): DeliveryPlan {
  const plan: DeliveryPlan = { env: {}, files: {}, secretValues: [], outputSecretValues: [] };
  const deliver = (what: string, name: string, value: string, target: { env?: string; path?: string }) => {
    const tooLarge = valueSizeProblem(`${what} ${name}`, value, target.env !== undefined);
    if (tooLarge) throw new RunRefusedError(tooLarge);
    if (target.env) plan.env[target.env] = value;
    if (target.path) plan.files[`${SECRETS_DIR}/${name}`] = value;
  };

  for (const credential of needs.credentials) {
    const value = ownValue(lease.credentials, credential.name);
    if (value === undefined) {
      if (credential.required) throw new RunRefusedError(`credential ${credential.name} is required but was not resolved: pass a credential set with --cred`);
      continue;
    }
    deliver('credential', credential.name, value, credential);
  }

  for (const parameter of needs.parameters) {
    const given = ownValue(lease.parameters, parameter.name) ?? ownValue(commandLine, parameter.name);
    const value = given ?? (parameter.default === undefined ? undefined : defaultText(parameter.default));
    if (value === undefined) {
      if (parameter.required) throw new RunRefusedError(`parameter ${parameter.name} is required: pass --param ${parameter.name}=VALUE or a parameter set`);
      continue;
    }
    checkValue(parameter, value);
    deliver('parameter', parameter.name, value, parameter);
    if (parameter.sensitive) plan.secretValues.push(value);
  }
  // Every leased value is masked, except a non-sensitive parameter the user gave in clear on the
  // command line: it is in the run request and the claim already, and masking it would hide it.
  // So is one that came from a plain output of the installation: it is in the records in clear.
  const givenInClear = (name: string, value: string) => ownValue(commandLine, name) === value && !needs.parameters.some((p) => p.name === name && p.sensitive);
  const fromPlainOutput = (name: string) => needs.parameters.some((p) => p.name === name && !p.sensitive && p.source !== undefined && !p.source.sensitive);
  // A required bundle's sensitive output is another installation's secret: the parent's outputs may not carry it out.
  const sourced = new Set(needs.parameters.filter((p) => p.source !== undefined && p.source.dependency === undefined).map((p) => p.name));
  const leasedParameters = Object.entries(lease.parameters);
  const credentials = Object.values(lease.credentials);
  plan.outputSecretValues.push(
    ...plan.secretValues.filter((value) => !leasedParameters.some(([name, leased]) => sourced.has(name) && leased === value)),
    ...credentials,
    ...leasedParameters.flatMap(([name, value]) => (givenInClear(name, value) || sourced.has(name) || fromPlainOutput(name) ? [] : [value])),
  );
  plan.secretValues.push(...credentials, ...leasedParameters.flatMap(([name, value]) => (givenInClear(name, value) || fromPlainOutput(name) ? [] : [value])));
  return plan;
}
