import { readFileSync } from 'node:fs';
import type { NatsConnection } from '@nats-io/nats-core';
import { BuiltinStore, VaultStore, type SecretStore, type VaultAuth } from '@lading/secrets';
import type { AtRestCipher } from '@lading/secrets';

function readSecretFile(path: string | undefined, what: string): string {
  if (!path) throw new Error(`${what} is not configured`);
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
  env: NodeJS.ProcessEnv,
  previousCiphers: AtRestCipher[] = [],
): Promise<SecretStore> {
  const kind = env.LADING_SECRET_STORE ?? 'builtin';
  if (kind === 'builtin') return BuiltinStore.open(nc, cipher, { previousCiphers });
  if (kind !== 'vault') throw new Error(`unknown LADING_SECRET_STORE "${kind}": use builtin or vault`);
  const auth: VaultAuth = env.LADING_VAULT_ROLE_ID
    ? { appRole: { roleId: env.LADING_VAULT_ROLE_ID, secretId: readSecretFile(env.LADING_VAULT_SECRET_ID_FILE, 'LADING_VAULT_SECRET_ID_FILE') } }
    : { token: readSecretFile(env.LADING_VAULT_TOKEN_FILE, 'LADING_VAULT_TOKEN_FILE') };
  return new VaultStore({
    endpoint: env.LADING_VAULT_ADDR ?? 'http://127.0.0.1:8200',
    mount: env.LADING_VAULT_MOUNT,
    namespace: env.LADING_VAULT_NAMESPACE,
    auth,
  });
}
