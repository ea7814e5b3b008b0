import { settingsTable, oneOf, text } from '@lading/contracts/settings';
import { frontDoorSetting } from './shared-settings.js';

/** The secret store's settings: `lading up` passes on those set in its own environment. */
export const secretStoreSettings = settingsTable({
  secretStore: { name: 'LADING_SECRET_STORE', type: oneOf(['builtin', 'vault']), default: 'builtin', meaning: 'the secret store: encrypted in JetStream, or HashiCorp Vault KV v2' },
  vaultAddr: { name: 'LADING_VAULT_ADDR', type: text('URL'), default: 'http://127.0.0.1:8200', meaning: 'the Vault server' },
  vaultMount: { name: 'LADING_VAULT_MOUNT', type: text(), meaning: "the KV v2 mount; default: the Vault store's own (`secret`)" },
  vaultNamespace: { name: 'LADING_VAULT_NAMESPACE', type: text(), meaning: 'the Vault namespace, if any' },
  vaultTokenFile: { name: 'LADING_VAULT_TOKEN_FILE', type: text('file'), meaning: 'a file with the Vault token (when no AppRole is given)' },
  vaultRoleId: { name: 'LADING_VAULT_ROLE_ID', type: text(), meaning: 'the AppRole role id, to log in with AppRole instead of a token' },
  vaultSecretIdFile: { name: 'LADING_VAULT_SECRET_ID_FILE', type: text('file'), meaning: 'a file with the AppRole secret id' },
});

/** What the secret broker reads besides the common settings. */
export const brokerSettings = settingsTable({
  registry: frontDoorSetting,
  brokerKeyFile: { name: 'LADING_BROKER_KEY_FILE', type: text('file'), meaning: 'its X25519 key (created 0600); default: `broker.key` in its state directory' },
  storeKeyFile: { name: 'LADING_STORE_KEY_FILE', type: text('file'), meaning: "the built-in store's AES-256 key (created 0600); default: `store.key` in its state directory" },
  ...secretStoreSettings,
});
