import { readFileSync } from 'node:fs';
import type { RegistryCredentials } from '@lading/oci';

/**
 * The builder's login at the stack's front door (LADING_REGISTRY_USER and
 * LADING_REGISTRY_PASSWORD_FILE): the guard lets it push content by digest, never a tag. It is
 * offered to that one host (LADING_REGISTRY) only, never to a registry a lading.yaml names.
 */
export function frontDoorLogin(env: NodeJS.ProcessEnv): (host: string) => RegistryCredentials | undefined {
  const username = env.LADING_REGISTRY_USER;
  const file = env.LADING_REGISTRY_PASSWORD_FILE;
  if (!username || !file || !env.LADING_REGISTRY) return () => undefined;
  const credentials = { username, password: readFileSync(file, 'utf8').trim() };
  return (host) => (host === env.LADING_REGISTRY ? credentials : undefined);
}
