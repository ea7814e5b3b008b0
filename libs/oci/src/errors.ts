import { CodedError, type ErrorCode } from '@lading/contracts/errors';

export interface OciErrorDetails {
  readonly registry?: string;
  readonly repository?: string;
  /** HTTP status of the registry's answer, when there was one. */
  readonly status?: number;
  /** The registry's OCI error code (e.g. MANIFEST_UNKNOWN) or a local reason (e.g. DIGEST_MISMATCH). */
  readonly reason?: string;
}

/** Local reasons that say the caller's input is wrong; every other failure is the registry's. */
const inputReasons = new Set(['BAD_REFERENCE', 'BAD_ARCHIVE', 'BAD_LAYOUT', 'BAD_KEY', 'BAD_ALLOW_LIST', 'NOT_RELOCATABLE', 'REGISTRY_NOT_ALLOWED']);

function codeFor(reason: string | undefined): ErrorCode {
  return reason !== undefined && inputReasons.has(reason) ? 'invalid_request' : 'upstream_failed';
}

/** Every failure of this library: one sentence naming the registry, repository and what failed. */
export class OciError extends CodedError {
  readonly registry?: string;
  readonly repository?: string;
  readonly status?: number;
  readonly reason?: string;

  constructor(message: string, details: OciErrorDetails = {}, options?: ErrorOptions) {
    super(codeFor(details.reason), message, options);
    this.registry = details.registry;
    this.repository = details.repository;
    this.status = details.status;
    this.reason = details.reason;
  }
}
