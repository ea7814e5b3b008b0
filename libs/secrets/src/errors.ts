/** A sealed box could not be opened: altered, sealed to another key, or for another purpose. */
export class SealError extends Error {
  override readonly name = 'SealError';
}

/** A key file is missing, malformed or readable by others. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

/** A secret store refused or failed an operation. Messages name the secret, never its value. */
export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError';
}

/**
 * A value-mapping source could not be resolved. The message names the set, the entry and the
 * source kind; it never carries the value nor the underlying error (which might quote it).
 */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly setLabel: string,
    readonly entryName: string,
    readonly sourceKind: string,
    reason: string,
  ) {
    super(`Cannot resolve "${entryName}" of ${setLabel} from its ${sourceKind} source: ${reason}`);
  }
}

/** The configured store keeps its own keys (Vault): Lading has no key of it to rotate. */
export class RotationNotSupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationNotSupportedError';
  }
}
