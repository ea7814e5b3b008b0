import { OciError } from './errors.js';
import type { RegistryClient } from './registry-client.js';

export interface TagWritten {
  readonly digest: string;
  /** `<registry>/<repository>@<digest>`: what installs use. */
  readonly reference: string;
  /** A Lading guard's ledger answer (`created`, `unchanged`, `replaced`); undefined when the registry is not a guard. */
  readonly guardOutcome?: string;
  /** Signature tags (`sha256-<hex>.sig`) written beside the bundle. */
  readonly signatures?: readonly string[];
}

/** Said whenever a tag was written to a registry that has no Lading guard in front of it. */
export const unguardedTagWarning =
  'this registry has no Lading guard: the tag was checked before it was written, but another writer could have replaced it in between (the check is not race-free there)';

/**
 * Refuses, before anything is written, to move a tag that holds another digest unless `force`.
 * A Lading guard decides again, race-free, when the tag is written; any other registry has only
 * this check.
 */
export async function refuseTagOverwrite(client: RegistryClient, repository: string, tag: string, digest: string, force: boolean): Promise<void> {
  if (force) return;
  const existing = await client.headManifest(repository, tag);
  if (existing && existing.digest !== digest) {
    throw new OciError(`tag ${client.registry}/${repository}:${tag} already holds ${existing.digest}; publish with --force to replace it`, {
      registry: client.registry,
      repository,
      reason: 'TAG_EXISTS',
    });
  }
}
