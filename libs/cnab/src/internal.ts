// The CNAB library's internal entry (`@lading/cnab/internal`): the public face and the parts behind it
// that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export type { ClaimStatus } from './types.js';
export {
  validateClaim,
  validateClaimResult,
  validateInstallation,
  validateStatus,
  validateDependencies,
  validateParameterSources,
} from './validate.js';
export { isSensitiveOutput } from './value-rules.js';
export { newUlid, ulidPattern } from './ulid.js';
export { canonicalJson, bundleDigest } from './canonical-json.js';
export { parameterValueProblem } from './parameter-values.js';
