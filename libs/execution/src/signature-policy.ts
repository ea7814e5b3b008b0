import type { KeyObject } from 'node:crypto';
import { OciError, verifyBundle, type RegistryClient } from '@lading/oci';
import { RunRefusedError } from './types.js';

/** One operator rule: bundles under `repositories` (`<registry>/<repository prefix>`) must be signed by one of `keys`. */
export interface SignatureRule {
  repositories: string;
  /** Where the keys were read from, to name them in a refusal. */
  keyFiles: string[];
  keys: KeyObject[];
}

/** The operator's signature policy: the first rule whose prefix the bundle's repository starts with applies. */
export type SignaturePolicy = SignatureRule[];

/**
 * Refuses a bundle in a covered repository unless its index and every image it lists carry a signature one of the
 * rule's keys verifies; a bundle no rule covers passes. Checked before any image pull, lease or container.
 */
export async function enforceSignaturePolicy(policy: SignaturePolicy, registry: RegistryClient, repository: string, digest: string): Promise<void> {
  const name = `${registry.registry}/${repository}`;
  const rule = policy.find((candidate) => name.startsWith(candidate.repositories));
  if (!rule) return;
  const reasons: string[] = [];
  for (const key of rule.keys) {
    try {
      await verifyBundle(registry, repository, digest, key);
      return;
    } catch (error) {
      if (!(error instanceof OciError)) throw error;
      reasons.push(error.message.charAt(0).toLowerCase() + error.message.slice(1).replace(/\.$/, ''));
    }
  }
  throw new RunRefusedError(
    `the signature policy refuses ${name}@${digest}: the rule for ${rule.repositories} requires a signature by ${rule.keyFiles.join(' or ')}, and ${reasons[0] ?? 'the rule has no key'}`,
  );
}
