export {
  callerOf,
  mayUseNamespace,
  assertNamespace,
  assertPerson,
  principalDirectory,
  processPrincipalDirectory,
} from './caller.js';
export type { Caller, PrincipalDirectory } from './caller.js';
export {
  principalsFileSchema,
  principalEntrySchema,
  parsePrincipalsFile,
  PrincipalsFileReader,
  type PrincipalsFile,
  type PrincipalEntry,
} from './principals-file.js';
export { passwordVerifier, verifyPassword } from './password-verifier.js';
