import { readFileSync } from 'node:fs';
import type { NatsConnection } from '@nats-io/nats-core';
import { BuiltinStore, VaultStore, type SecretStore, type VaultAuth } from '@lading/secrets';
import type { AtRestCipher } from '@lading/secrets';
import { SettingError, secretStoreSettings, type SettingValues } from '@lading/service-kit/settings';

function readSecretFile(path: string | undefined, variable: string): string {
  if (!path) throw new SettingError(variable, `${variable} is not set: the Vault store needs it.`);
  return readFileSync(path, 'utf8').trim();
}

/**
 * Chooses the secret store from LADING_SECRET_STORE: `builtin` (default; encrypted in
 * JetStream) or `vault` (HashiCorp Vault KV v2). Vault credentials are read from files.
 * `previousCiphers` are old at-rest keys an interrupted rotation still needs.
 */
export async function openSecretStore(
  nc: NatsConnection,
  cipher: AtRestCipher,
  settings: SettingValues<typeof secretStoreSettings>,
  previousCiphers: AtRestCipher[] = [],
): Promise<SecretStore> {
  if (settings.secretStore === 'builtin') return BuiltinStore.open(nc, cipher, { previousCiphers });
  const auth: VaultAuth = settings.vaultRoleId
    ? { appRole: { roleId: settings.vaultRoleId, secretId: readSecretFile(settings.vaultSecretIdFile, secretStoreSettings.vaultSecretIdFile.name) } }
    : { token: readSecretFile(settings.vaultTokenFile, secretStoreSettings.vaultTokenFile.name) };
  return new VaultStore({ endpoint: settings.vaultAddr, mount: settings.vaultMount, namespace: settings.vaultNamespace, auth });
}
