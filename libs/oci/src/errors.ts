export interface OciErrorDetails {
  readonly registry?: string;
  readonly repository?: string;
  /** HTTP status of the registry's answer, when there was one. */
  readonly status?: number;
  /** The registry's OCI error code (e.g. MANIFEST_UNKNOWN) or a local code (e.g. DIGEST_MISMATCH). */
  readonly code?: string;
}

/** Every failure of this library: one sentence naming the registry, repository and what failed. */
export class OciError extends Error {
  readonly registry?: string;
  readonly repository?: string;
  readonly status?: number;
  readonly code?: string;

  constructor(message: string, details: OciErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OciError';
    this.registry = details.registry;
    this.repository = details.repository;
    this.status = details.status;
    this.code = details.code;
  }
}
