import { randomBytes } from 'node:crypto';
import { RegistryClient } from '@lading/oci';
import { startRegistry, type TestRegistry } from '@lading/testkit';

/**
 * The upstream as `lading up` runs it: docker-registry with one account, the guard's. Tests that
 * compare upstream state read it with that account, the only way in.
 */
export async function startGuardedUpstream(): Promise<TestRegistry & { credentials: NonNullable<TestRegistry['credentials']> }> {
  const registry = await startRegistry({ htpasswd: { username: 'registry-guard', password: randomBytes(18).toString('base64url') } });
  return registry as TestRegistry & { credentials: NonNullable<TestRegistry['credentials']> };
}

/** A client of the upstream itself, past the guard, with the guard's account. */
export function upstreamClient(registry: TestRegistry): RegistryClient {
  return new RegistryClient({ registry: registry.host, credentials: registry.credentials });
}
