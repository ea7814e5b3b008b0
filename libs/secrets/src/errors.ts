import { CodedError } from '@lading/contracts/errors';
/** A sealed box could not be opened: altered, sealed to another key, or for another purpose. */
export class SealError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('invalid_request', message, options);
  }
}

/** A key file is missing, malformed or readable by others. */
export class KeyFileError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('bad_configuration', message, options);
  }
}

/** A secret store refused or failed an operation. Messages name the secret, never its value. */
export class SecretStoreError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('unresolvable', message, options);
  }
}

/**
 * A value-mapping source could not be resolved. The message names the set, the entry and the
 * source kind; it never carries the value nor the underlying error (which might quote it).
 */
export class SourceError extends CodedError {
  constructor(
    readonly setLabel: string,
    readonly entryName: string,
    readonly sourceKind: string,
    reason: string,
  ) {
    super('unresolvable', `Cannot resolve "${entryName}" of ${setLabel} from its ${sourceKind} source: ${reason}`);
  }
}

/** The configured store keeps its own keys (Vault): Lading has no key of it to rotate. */
export class RotationNotSupportedError extends CodedError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}
