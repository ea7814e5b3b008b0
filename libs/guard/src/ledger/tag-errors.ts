import { CodedError } from '@lading/contracts/errors';

/** The tag already holds another digest and the write was not forced. */
export class TagConflictError extends CodedError {
  constructor(
    readonly repository: string,
    readonly tag: string,
    readonly existingDigest: string,
  ) {
    super('conflict', `tag ${repository}:${tag} already holds ${existingDigest}; publish with --force to replace it`);
  }
}

/** Deleting a tag is an overwrite, refused unless forced. */
export class TagDeleteRefusedError extends CodedError {
  constructor(
    readonly repository: string,
    readonly tag: string,
    readonly existingDigest: string,
  ) {
    super('conflict', `tag ${repository}:${tag} holds ${existingDigest} and deleting it is an overwrite; delete with --force to remove it`);
  }
}

export class ForceNotAllowedError extends CodedError {
  constructor(readonly principal: string) {
    super('forbidden', `principal "${principal}" is not allowed to force a tag overwrite; ask an operator to add it to the guard's force principals`);
  }
}

export class TagNotFoundError extends CodedError {
  constructor(repository: string, tag: string) {
    super('not_found', `tag ${repository}:${tag} does not exist; check the repository and tag names`);
  }
}

/** The ledger could not settle a decision: contention or a lost reservation. Retrying converges. */
export class TagLedgerBusyError extends CodedError {
  constructor(repository: string, tag: string, why: string) {
    super('busy', `tag ${repository}:${tag} could not be written (${why}); retry the publish`);
  }
}

/**
 * The upstream registry serves something other than the ledger's digest for a tag: it was
 * changed behind the guard. The guard will not call that `unchanged`.
 */
export class TagDriftError extends CodedError {
  constructor(
    readonly repository: string,
    readonly tag: string,
    readonly ledgerDigest: string,
    readonly upstreamDigest: string | null,
  ) {
    super(
      'conflict',
      `tag ${repository}:${tag} is ${ledgerDigest} in the guard's ledger but the upstream registry serves ${upstreamDigest ?? 'nothing'}: ` +
        `it was changed behind the guard; push ${ledgerDigest} again with --force to restore it`,
    );
  }
}
