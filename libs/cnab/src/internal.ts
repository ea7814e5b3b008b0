// The CNAB library's internal entry (`@lading/cnab/internal`): the public face and the parts behind it
// that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export type { ClaimStatus } from '@lading/contracts/cnab-documents';
export { claimStatuses, claimStatus } from '@lading/contracts/cnab-documents';
export {
  validateClaim,
  validateClaimResult,
  validateInstallation,
  validateStatus,
  validateDependencies,
  validateParameterSources,
} from './validate.js';
export { newUlid, ulidPattern } from './ulid.js';
export { canonicalJson, bundleDigest } from './canonical-json.js';
export { parameterValueProblem } from './parameter-values.js';
export { parameterSourceOutput, parameterSourceDependencyOutput } from './parameter-sources.js';
