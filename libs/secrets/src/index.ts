export {
  generateSealingKeyPair,
  sealingPublicKey,
  seal,
  open,
  exportPrivateKey,
  importPrivateKey,
} from './sealing.js';
export { createKeyFile, readKeyFile, refuseSharedKeyFile } from './key-file.js';
export { AtRestCipher } from './at-rest-cipher.js';
export { BuiltinStore } from './builtin-store.js';
export { VaultStore } from './vault-store.js';
export {
  assertSecretName,
  runScopedSecretName,
  installationValuesSecretName,
  setValueSecretName,
  secretSourceName,
  namespacedSecretName,
  secretNamespaceOf,
  reservedSecretNameProblem,
} from './secret-name.js';
export { generateSigningKeyPair, signStatement, verifyStatement, isSigningPublicKey, type SigningKeyPair } from './signing.js';
export { splitCommandLine } from './argv.js';
export { resolveValue } from './resolve-value.js';
export { resolveSet } from './resolve-set.js';
export { createRedactor, redactBytes, redactText, StreamRedactor, DEFAULT_MASK, type LabelledBytes } from './redactor.js';
export { formsLadingProduces } from './value-forms.js';
export { SealError, KeyFileError, SecretStoreError, SourceError, RotationNotSupportedError } from './errors.js';
export { KeyRotation, previousStoreCiphers } from './key-rotation.js';
export { callerResolvedKinds, describeSet, isCallerResolved, sourceKindOf, sourceKinds } from './source-kinds.js';
export type {
  SealingKeyPair,
  SecretStore,
  AtRestRecord,
  BuiltinStoreOptions,
  VaultAuth,
  VaultStoreOptions,
  ValueSource,
  SourceKind,
  ResolveContext,
  ResolveSetOptions,
  ValueSetDocument,
} from './types.js';
