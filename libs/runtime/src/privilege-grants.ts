import { isDigest } from '@lading/contracts/reference-grammar';
import { RuntimeError } from './errors.js';

/**
 * Bundles the operator grants a privilege to, by bundle digest (the digest of the bundle's
 * CNAB-in-OCI index, the `@sha256:` of `lading publish`'s reference). A digest pins bundle.json
 * and through it the invocation image, so nobody can publish other content under it; a
 * repository name can be reused by anyone who may publish.
 */
export type BundleDigests = ReadonlySet<string>;

/** Parses a comma-separated list of `sha256:<64 hex>`; anything else is refused, naming the entry. */
export function parseBundleDigests(variable: string, value: string | undefined): BundleDigests {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!isDigest(entry)) {
      throw new RuntimeError(
        'invalid-configuration',
        `${variable} lists bundle digests (sha256: and 64 lowercase hex digits, comma-separated), and ${JSON.stringify(entry)} is not one: take the digest from the reference \`lading publish\` printed.`,
      );
    }
  }
  return new Set(entries);
}

/** One privilege handed to one run, as the audit log records it. */
export interface PrivilegeGrant {
  privilege: 'docker-socket';
  runId: string;
  bundleReference: string;
  bundleDigest: string;
}

/**
 * Decides, for each run, whether its bundle gets the Docker socket: only when the run's bundle
 * digest is listed. Every grant goes to `audit` before the container exists.
 */
export function dockerSocketGrants(
  digests: BundleDigests,
  audit: (grant: PrivilegeGrant) => void,
): (bundle: Omit<PrivilegeGrant, 'privilege'>) => boolean {
  return (bundle) => {
    if (!digests.has(bundle.bundleDigest)) return false;
    audit({ privilege: 'docker-socket', ...bundle });
    return true;
  };
}
