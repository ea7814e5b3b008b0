import { CodedError } from '@lading/contracts/errors';

export type RuntimeErrorReason =
  | 'docker-unavailable'
  | 'docker-engine'
  | 'invalid-bundle-context'
  | 'bundle-context-too-large'
  | 'invalid-reference'
  | 'digest-mismatch'
  | 'image-missing'
  | 'invalid-run-options'
  | 'invalid-stdin-payload'
  | 'run-aborted'
  | 'invalid-configuration'
  | 'host-isolation';

/** The engine failed or a run was cut short; everything else is wrong input. */
const engineReasons = new Set<RuntimeErrorReason>(['docker-unavailable', 'docker-engine', 'run-aborted', 'host-isolation']);

/** One clear sentence for the user; `reason` says which failure of this library it is. */
export class RuntimeError extends CodedError {
  readonly reason: RuntimeErrorReason;

  constructor(reason: RuntimeErrorReason, message: string, options?: { cause?: unknown }) {
    super(engineReasons.has(reason) ? 'upstream_failed' : reason === 'invalid-configuration' ? 'bad_configuration' : 'invalid_request', message, options);
    this.reason = reason;
  }
}

/**
 * dockerode errors read "(HTTP code 404) no such container - No such container: x";
 * users need only the engine's own sentence.
 */
export function engineMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const json = (error as { json?: unknown }).json;
    if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
      return (json as { message: string }).message;
    }
    if (error instanceof Error) {
      const dashed = /^\(HTTP code \d+\) [^-]* - (.+)$/s.exec(error.message);
      return (dashed?.[1] ?? error.message).trim();
    }
  }
  return String(error);
}

export function httpStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
