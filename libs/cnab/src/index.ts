// The document types live in contracts, beside the messages that carry them; cnab keeps the validators.
export type * from '@lading/contracts/cnab-documents';
export { claimStatuses, claimStatus } from '@lading/contracts/cnab-documents';
export { CnabValidationError } from './errors.js';
export {
  validateBundle,
  validateClaim,
  validateClaimResult,
  validateCredentialSet,
  validateParameterSet,
  validateInstallation,
  validateRelocationMapping,
  validateStatus,
  validateDependencies,
  validateParameterSources,
} from './validate.js';
export {
  createClaim,
  createClaimResult,
  secretReference,
  type CreateClaimInput,
  type CreateClaimResultInput,
} from './claims.js';
export { appliesTo, appliesToText, isSensitiveOutput, isSensitiveParameter } from './value-rules.js';
export { newUlid, ulidPattern } from './ulid.js';
export { canonicalJson, bundleDigest } from './canonical-json.js';
export { bundleSchemaVersion } from './versions.js';
export {
  bundleNeeds,
  declaresAction,
  commandLineProblem,
  defaultText,
  parameterProblem,
  parameterTypeProblem,
  type BundleNeeds,
  type NeededParameter,
} from './bundle-needs.js';
export { parameterSchemaProblem } from './parameter-schema.js';
export { valueLimits, valueSizeProblem, nestsTooDeep, nestingProblem } from './value-limits.js';
export { parameterValueProblem } from './parameter-values.js';
export { PARAMETER_SOURCES_EXTENSION, DEPENDENCY_OUTPUT_SOURCE, parameterSourceOutput, parameterSourceDependencyOutput } from './parameter-sources.js';
export {
  LADING_EXTENSION_KEY,
  DEPENDENCIES_EXTENSION,
  dependencyInstallationName,
  dependencyParameterDefaults,
  requiredBundles,
  type RequiredBundle,
} from './dependencies.js';
