import type { KeyObject } from 'node:crypto';
import { runInputSchema, sealingContexts, type RunInput, type SealedBox } from '@lading/contracts';
import { open } from '@lading/secrets';
import { LeaseRefusedError } from './lease-refused.js';

/** Opens what the CLI sealed to the broker for this one run; a box sealed for another run does not open. */
export function openRunInput(box: SealedBox, brokerKey: KeyObject, runId: string): RunInput {
  let text: string;
  try {
    text = open(box, brokerKey, sealingContexts.runInput(runId)).toString('utf8');
  } catch {
    throw new LeaseRefusedError('invalid_request', `the run input could not be opened: seal it to the broker key for run ${runId}`);
  }
  const parsed = runInputSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new LeaseRefusedError('invalid_request', 'the run input is not a set of parameter and source values');
  return parsed.data;
}
