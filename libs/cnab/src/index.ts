// The CNAB documents as Lading reads and writes them: their types, their validation against the
// CNAB schemas, claims and claim results, and the rules a bundle's parameters, credentials and
// outputs follow. What only the tests check one by one (the other CNAB documents' validators, ULIDs,
// canonical JSON) is in ./internal.ts (`@lading/cnab/internal`).
export type {
  JsonSchemaDefinition,
  Bundle,
  BundleImage,
  BundleCredential,
  BundleParameter,
  BundleOutput,
  ClaimResultOutput,
  ParameterSources,
  Dependencies,
  // The document types live in contracts, beside the messages that carry them; cnab keeps the validators.
} from '@lading/contracts/cnab-documents';
export { CnabValidationError } from './errors.js';
export { validateBundle, validateCredentialSet, validateParameterSet, validateRelocationMapping } from './validate.js';
export { createClaim, createClaimResult } from './claims.js';
export { appliesTo, appliesToText, isSensitiveOutput, isSensitiveParameter } from './value-rules.js';
export { bundleSchemaVersion } from './versions.js';
export {
  bundleNeeds,
  declaresAction,
  commandLineProblem,
  defaultText,
  parameterProblem,
  type BundleNeeds,
  type NeededParameter,
} from './bundle-needs.js';
export { parameterSchemaProblem } from './parameter-schema.js';
export { valueLimits, valueSizeProblem, nestsTooDeep, nestingProblem } from './value-limits.js';
export { PARAMETER_SOURCES_EXTENSION } from './parameter-sources.js';
export { DEPENDENCY_OUTPUT_SOURCE } from './parameter-sources.js';
export {
  LADING_EXTENSION_KEY,
  DEPENDENCIES_EXTENSION,
  dependencyInstallationName,
  requiredBundles,
} from './dependencies.js';
// The same, alone (no JSON Schema validator): `@lading/cnab/dependencies`, for the lading command's runs.
