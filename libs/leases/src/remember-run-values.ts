import { runStatus, type RunAdmission } from '@lading/contracts';
import { installationValuesSecretName } from '@lading/secrets';
import { openRunInput } from './open-run-input.js';
import { rememberedValues } from './remembered-values.js';
import { resolveRunValues } from './run-values.js';
import type { RunPathState } from './types.js';

/**
 * When a run ends, and only if it succeeded: its parameter values, resolved again from its sealed
 * input and sets as its lease was, become what the installation remembers — merged over what
 * earlier runs left, so an action that takes fewer parameters forgets none. Success is read from
 * the runner's record of the run, which the runner writes before it says the run ended. Nothing
 * is kept while a run lasts, so a runner that dies leaves no value behind.
 */
export async function rememberRunValues(admission: RunAdmission, state: RunPathState): Promise<void> {
  if (!admission.input) return;
  const run = (await state.records.getRun(admission.runId))?.value;
  if (run?.status !== runStatus.succeeded || run.namespace !== admission.namespace || run.installation !== admission.installation) return;
  const input = openRunInput(admission.input, state.brokerKey, admission.runId);
  const { parameters } = await resolveRunValues(admission, input, { credentials: state.credentialSets, parameters: state.parameterSets }, state.store);
  if (Object.keys(parameters).length === 0) return;
  const { namespace, installation } = admission;
  const merged = { ...(await rememberedValues(state.store, namespace, installation)), ...parameters };
  await state.store.set(installationValuesSecretName(namespace, installation), Buffer.from(JSON.stringify(merged)));
}
