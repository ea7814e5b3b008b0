/** The tag already holds another digest and the write was not forced. */
export class TagConflictError extends Error {
  override readonly name = 'TagConflictError';
  constructor(
    readonly repository: string,
    readonly tag: string,
    readonly existingDigest: string,
  ) {
    super(`tag ${repository}:${tag} already holds ${existingDigest}; publish with --force to replace it`);
  }
}

/** Deleting a tag is an overwrite, refused unless forced. */
export class TagDeleteRefusedError extends Error {
  override readonly name = 'TagDeleteRefusedError';
  constructor(
    readonly repository: string,
    readonly tag: string,
    readonly existingDigest: string,
  ) {
    super(`tag ${repository}:${tag} holds ${existingDigest} and deleting it is an overwrite; delete with --force to remove it`);
  }
}

export class ForceNotAllowedError extends Error {
  override readonly name = 'ForceNotAllowedError';
  constructor(readonly principal: string) {
    super(`principal "${principal}" is not allowed to force a tag overwrite; ask an operator to add it to the guard's force principals`);
  }
}

export class TagNotFoundError extends Error {
  override readonly name = 'TagNotFoundError';
  constructor(repository: string, tag: string) {
    super(`tag ${repository}:${tag} does not exist; check the repository and tag names`);
  }
}

/** The ledger could not settle a decision: contention or a lost reservation. Retrying converges. */
export class TagLedgerBusyError extends Error {
  override readonly name = 'TagLedgerBusyError';
  constructor(repository: string, tag: string, why: string) {
    super(`tag ${repository}:${tag} could not be written (${why}); retry the publish`);
  }
}

/**
 * The upstream registry serves something other than the ledger's digest for a tag: it was
 * changed behind the guard. The guard will not call that `unchanged`.
 */
export class TagDriftError extends Error {
  override readonly name = 'TagDriftError';
  constructor(
    readonly repository: string,
    readonly tag: string,
    readonly ledgerDigest: string,
    readonly upstreamDigest: string | null,
  ) {
    super(
      `tag ${repository}:${tag} is ${ledgerDigest} in the guard's ledger but the upstream registry serves ${upstreamDigest ?? 'nothing'}: ` +
        `it was changed behind the guard; push ${ledgerDigest} again with --force to restore it`,
    );
  }
}
