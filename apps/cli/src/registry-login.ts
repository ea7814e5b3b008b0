import { RegistryClient } from '@lading/oci';
import { sessionCredentials } from './session.js';

/**
 * A client for `registry` as this command's principal: the principal's name and password are
 * offered to the stack's front door only; every other registry is spoken to anonymously.
 */
export async function registryClientFor(registry: string): Promise<RegistryClient> {
  const credentials = await sessionCredentials().catch(() => undefined);
  if (credentials?.frontDoor === registry) {
    return new RegistryClient({ registry, credentials: { username: credentials.principal, password: credentials.password } });
  }
  return new RegistryClient({ registry });
}
