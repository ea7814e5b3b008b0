import { bundleNeeds, commandLineProblem, declaresAction, isSensitiveParameter, parameterProblem, requiredBundles, type Bundle } from '@lading/cnab';
import { hasOwnName, ownRecord, ownValue, type RunAdmission, type RunSubmitRequest } from '@lading/contracts';
import { assertNamespace, type Caller } from '@lading/service-kit';
import { LeaseRefusedError } from './lease-refused.js';
import { openRunInput } from './open-run-input.js';
import { dependencyOutputParameters, outputSourcedParameters } from './output-sources.js';
import { rememberedValues } from './remembered-values.js';
import { runBundleReference } from './run-bundle.js';
import { loadMappings, planSource } from './run-values.js';
import type { AdmissionDependencies } from './types.js';

async function readBundle(reference: string, deps: AdmissionDependencies): Promise<Bundle> {
  try {
    return await deps.readBundle(reference);
  } catch (error) {
    throw new LeaseRefusedError('not_found', `cannot read bundle ${reference}: ${error instanceof Error ? error.message : 'the registry refused'}`);
  }
}

/**
 * Admits a run: checks the caller may use the namespace, that the bundle (read by digest) has
 * the action (the request's bundle, or the one the installation last ran), that every set exists in the namespace with known source kinds, that every
 * caller-resolved source was sent, and that every required value has a source — all before
 * anything is stored or queued. Then takes the installation's lock (a busy installation is
 * refused), records the admission and puts the run on the work queue.
 */
export async function admitRun(request: RunSubmitRequest, caller: Caller | undefined, deps: AdmissionDependencies): Promise<RunAdmission> {
  const { runId, installation, namespace, action } = request;
  // Only principals submit runs: a request with no caller is refused, never let past the namespace check.
  const principal = assertNamespace(caller, namespace);
  const input = openRunInput(request.input, deps.brokerKey, runId);
  const credentials = await loadMappings(deps.credentialSets, 'credentials', request.credentialSets, namespace, installation);
  const parameters = await loadMappings(deps.parameterSets, 'parameters', request.parameterSets, namespace, installation);
  for (const [entry, found] of credentials) planSource('credentials', entry, found, input);
  const plannedParameters = [...parameters].map(([entry, found]) => ({ entry, planned: planSource('parameters', entry, found, input) }));

  const bundleReference = await runBundleReference(request, deps.records);
  const bundle = await readBundle(bundleReference, deps);
  if (!declaresAction(bundle, action)) throw new LeaseRefusedError('invalid_request', `the bundle has no action ${action}`);
  const required = requiredBundles(bundle).map(({ alias }) => alias);
  // The client orchestrates dependencies (see the CLI's dependency-runs.ts); one that does not know of them is stopped here.
  if (required.length > 0 && action !== 'uninstall' && request.dependenciesRun !== true) {
    throw new LeaseRefusedError('dependencies_first', `the bundle requires ${required.join(', ')}, whose ${action} runs before its own: \`lading ${action}\` runs them first`);
  }
  const needs = bundleNeeds(bundle, action);
  const problem = commandLineProblem(needs, input.parameters);
  if (problem) throw new LeaseRefusedError('invalid_request', problem);
  // Values the CLI resolved from a set (env, path, command) are known now: checked like --param values.
  // A secret's value is read only for the lease, and the runner checks it before any container starts.
  for (const { entry, planned } of plannedParameters) {
    const parameter = needs.parameters.find(({ name }) => name === entry);
    const setProblem = parameter !== undefined && 'given' in planned && !hasOwnName(input.parameters, entry) ? parameterProblem(parameter, planned.given) : undefined;
    if (setProblem) throw new LeaseRefusedError('invalid_request', setProblem);
  }
  for (const credential of needs.credentials) {
    if (credential.required && !credentials.has(credential.name)) {
      throw new LeaseRefusedError('unresolvable', `credential ${credential.name} is required for action ${action} but no credential set of the run maps it: pass one with --cred`);
    }
  }
  // A value given now, by --param or a set, wins; else the installation's last output the
  // parameter takes its value from; else the one the installation's last successful runs used.
  const notGiven = needs.parameters.filter(({ name }) => !hasOwnName(input.parameters, name) && !parameters.has(name));
  const fromOutputs = await outputSourcedParameters(deps.records, namespace, installation, notGiven);
  const fromDependencies = await dependencyOutputParameters(deps.records, namespace, installation, notGiven);
  const remembered = action === 'install' ? ownRecord<string>() : await rememberedValues(deps.store, namespace, installation);
  const reused = notGiven.filter(({ name }) => !hasOwnName(fromOutputs, name) && !hasOwnName(fromDependencies, name) && hasOwnName(remembered, name)).map(({ name }) => name);
  for (const parameter of needs.parameters) {
    const sourced =
      hasOwnName(input.parameters, parameter.name) ||
      parameters.has(parameter.name) ||
      hasOwnName(fromOutputs, parameter.name) ||
      hasOwnName(fromDependencies, parameter.name) ||
      reused.includes(parameter.name) ||
      parameter.default !== undefined;
    if (parameter.required && !sourced) {
      throw new LeaseRefusedError('unresolvable', `parameter ${parameter.name} is required: pass --param ${parameter.name}=VALUE or a parameter set`);
    }
  }

  const lock = await deps.locks.acquire(namespace, installation, runId);
  if (!lock.held) {
    throw new LeaseRefusedError('busy', `installation ${installation} is busy with run ${lock.heldBy}: run the action again once it has finished, or pass --wait`);
  }
  // What the admission record and the work item both say of the run.
  const run = {
    runId,
    installation,
    namespace,
    action,
    bundleReference,
    credentialSets: request.credentialSets,
    parameterSets: request.parameterSets,
  };
  const admission: RunAdmission = {
    ...run,
    wantedCredentials: needs.credentials.map(({ name, required }) => ({ name, required })),
    wantedParameters: needs.parameters.map(({ name, required, default: fallback }) => ({ name, required, hasDefault: fallback !== undefined })),
    reusedParameters: reused,
    ...(Object.keys(fromOutputs).length === 0 ? {} : { outputSourcedParameters: fromOutputs }),
    ...(Object.keys(fromDependencies).length === 0 ? {} : { dependencyOutputParameters: fromDependencies }),
    ...(required.length === 0 ? {} : { requiredBundles: required }),
    input: request.input,
    admittedAt: new Date().toISOString(),
  };
  try {
    await deps.admissions.create(runId, admission);
  } catch {
    await deps.locks.release(namespace, installation, runId);
    throw new LeaseRefusedError('conflict', `run ${runId} was already submitted: every run needs a new id`);
  }
  const given = [...Object.entries(input.parameters), ...reused.map((name) => [name, ownValue(remembered, name) as string] as [string, string])];
  try {
    await deps.enqueue({
      ...run,
      parameters: ownRecord(given.filter(([name]) => !isSensitiveParameter(bundle, name))),
      sensitiveParameters: given.filter(([name]) => isSensitiveParameter(bundle, name)).map(([name]) => name),
      requestedAt: admission.admittedAt,
      // Its events go to the principal who asked for it alone.
      submittedBy: principal.principal,
    });
  } catch (error) {
    await deps.admissions.delete(runId);
    await deps.locks.release(namespace, installation, runId);
    throw error;
  }
  return admission;
}
