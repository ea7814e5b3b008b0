// The secrets library's internal entry (`@lading/secrets/internal`): the public face and the parts
// behind it that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export { readKeyFile } from './key-file.js';
export type { SigningKeyPair } from './signing.js';
export { splitCommandLine } from './argv.js';
export { createRedactor, redactText } from './redactor.js';
export { SealError, KeyFileError, SecretStoreError } from './errors.js';
export type { AtRestRecord, ResolveContext } from './types.js';
