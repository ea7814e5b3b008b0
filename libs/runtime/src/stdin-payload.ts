import { encodeRunInput, RunInputError } from '@lading/manifest';
import { RuntimeError } from './errors.js';
import type { StdinPayloadInput } from './types.js';

/**
 * The lines the generated /cnab/app/run script reads from stdin, encoded by the run protocol
 * the script is rendered from (`@lading/manifest`); what it refuses is a RuntimeError here.
 */
export function encodeStdinPayload(input: StdinPayloadInput): Buffer {
  try {
    return encodeRunInput(input);
  } catch (error) {
    if (error instanceof RunInputError) throw new RuntimeError('invalid-stdin-payload', error.message);
    throw error;
  }
}
