import type { LedgerEntry } from './ledger-entry.js';

export type { LedgerEntry };

/** What the ledger needs from the upstream registry while it decides a tag write. */
export interface TagUpstream {
  /** Digest the upstream currently serves for the tag, or undefined when the tag does not exist. */
  headTag(repository: string, tag: string): Promise<string | undefined>;
  /** Writes the manifest under the tag upstream; called only by the reservation's winner. */
  putManifest(signal: AbortSignal): Promise<void>;
}

export interface TagDeleteUpstream {
  headTag(repository: string, tag: string): Promise<string | undefined>;
  deleteTag(signal: AbortSignal): Promise<void>;
}

export interface WriteTagRequest {
  repository: string;
  tag: string;
  /** `sha256:<hex>` of the manifest being written. */
  digest: string;
  principal: string;
  force: boolean;
  upstream: TagUpstream;
}

export type WriteTagOutcome = 'created' | 'unchanged' | 'replaced';

export interface WriteTagResult {
  outcome: WriteTagOutcome;
  digest: string;
  previousDigest?: string;
}

export interface DeleteTagRequest {
  repository: string;
  tag: string;
  principal: string;
  force: boolean;
  upstream: TagDeleteUpstream;
}

export interface DeleteTagResult {
  previousDigest: string;
}

export interface TagLedgerOptions {
  /** Identifies this guard replica in reservations it owns. Default: random. */
  instanceId?: string;
  /** Principals allowed to force an overwrite or a delete. */
  forcePrincipals: Iterable<string>;
  /** How long a pending reservation stays valid before another replica may reconcile it. Default 30 s. */
  reservationTtlMs?: number;
  /** Clock, for callers that need one; defaults to Date.now. */
  now?: () => number;
}
