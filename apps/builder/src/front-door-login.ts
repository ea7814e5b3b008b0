import { readFileSync } from 'node:fs';
import type { RegistryCredentials } from '@lading/oci';
import type { builderSettings, SettingValues } from '@lading/service-kit/settings';

/**
 * The builder's login at the stack's front door (LADING_REGISTRY_USER and
 * LADING_REGISTRY_PASSWORD_FILE): the guard lets it push content by digest, never a tag. It is
 * offered to that one host (LADING_REGISTRY) only, never to a registry a lading.yaml names.
 */
export function frontDoorLogin(
  settings: Pick<SettingValues<typeof builderSettings>, 'registry' | 'registryUser' | 'registryPasswordFile'>,
): (host: string) => RegistryCredentials | undefined {
  const { registry, registryUser: username, registryPasswordFile: file } = settings;
  if (!username || !file) return () => undefined;
  const credentials = { username, password: readFileSync(file, 'utf8').trim() };
  return (host) => (host === registry ? credentials : undefined);
}
