// Secrets as Lading keeps and hands them: sealing to a broker key, the key file and its rotation,
// the at-rest cipher and the secret stores (built-in, Vault), resolving a value from its source,
// secret names, statement signing, and masking secret values out of logs and outputs. The parts
// its tests drive one by one are in ./internal.ts (`@lading/secrets/internal`).
export {
  generateSealingKeyPair,
  sealingPublicKey,
  seal,
  open,
  exportPrivateKey,
  importPrivateKey,
} from './sealing.js';
export { createKeyFile, refuseSharedKeyFile } from './key-file.js';
export { AtRestCipher } from './at-rest-cipher.js';
export { BuiltinStore } from './builtin-store.js';
export { VaultStore } from './vault-store.js';
export {
  runScopedSecretName,
  installationValuesSecretName,
  setValueSecretName,
  secretSourceName,
  namespacedSecretName,
  secretNamespaceOf,
  reservedSecretNameProblem,
} from './secret-name.js';
export { generateSigningKeyPair, signStatement, verifyStatement, isSigningPublicKey } from './signing.js';
export { resolveValue } from './resolve-value.js';
export { redactBytes, StreamRedactor, type LabelledBytes } from './redactor.js';
export { SourceError } from './errors.js';
export { KeyRotation, previousStoreCiphers } from './key-rotation.js';
export { callerResolvedKinds, describeSet, isCallerResolved, sourceKindOf, sourceKinds } from './source-kinds.js';
export type { SecretStore, VaultAuth } from './types.js';
