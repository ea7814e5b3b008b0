import { errorVocabulary, isCodedError } from '@lading/contracts/errors';
import { cliSettings } from '@lading/service-kit/settings';

/** Set to any value to see the stack of an internal failure. */
export const debugVariable = cliSettings.debug.name;

/**
 * What the CLI says of a failure. A coded error is one sentence for the user and exits with its
 * code's exit status; anything else is Lading's own fault, said as such (never a raw `TypeError`
 * text dressed as advice), with its stack only when `LADING_DEBUG` asks for it.
 */
export function explainFailure(error: unknown, debug: boolean): { message: string; exitCode: number } {
  if (isCodedError(error)) return { message: error.message, exitCode: errorVocabulary[error.code].exitCode };
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  const hint = debug ? '' : ` (${debugVariable}=1 shows where)`;
  return { message: `internal error: ${what}, please report it${hint}${stack}`, exitCode: errorVocabulary.internal.exitCode };
}
