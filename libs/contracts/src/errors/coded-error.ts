import { isErrorCode, type ErrorCode } from './error-codes.js';

/**
 * The base of every domain error: a message in the house style (one sentence: what is wrong,
 * what to do) and a code from the vocabulary. Services answer it as it is; the CLI prints it.
 * Anything that is not one is an internal failure.
 */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Whether `error` is a coded error. Checked by shape, not by class identity, so that an error
 * raised by another copy of this module (a bundled app, a worker thread) is still recognised.
 */
export function isCodedError(error: unknown): error is CodedError {
  return error instanceof Error && isErrorCode((error as { code?: unknown }).code);
}
