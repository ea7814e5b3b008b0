// The one place that names what crosses between Lading's processes: NATS subjects, streams, KV
// buckets and object stores, the endpoints with their request and reply shapes (zod), the signed
// and sealed payloads, and the principals' identity. Image references have their own entry
// (`@lading/contracts/reference-grammar`), as do coded errors (`@lading/contracts/errors`); the
// parts only tests use are in ./internal.ts (`@lading/contracts/internal`).
export { subjects, serviceNames, type ServiceRole } from './subjects.js';
export { streams, buckets, objectStores } from './storage-names.js';
export { baseImages, baseImageReference, defaultBaseImage, type BaseImageName } from './base-images.js';
export { replySchema, type ReplyError } from './envelope.js';
export { hasOwnName, ownValue, ownRecord, prototypeName, prototypeNameProblem } from './own-names.js';
export type { Endpoint } from './endpoint.js';
export { endpoints } from './endpoints.js';
export { sealedBoxSchema, type SealedBox } from './messages/sealed-box.js';
export { digestSchema, resourceNameSchema, namespaceSchema } from './messages/references.js';
export { buildContextLimits, type ContextUploadRequest, type ContextUploadReply } from './messages/build.js';
export { tagAuditRecordSchema, type TagAuditRecord } from './messages/tag-audit.js';
export type { TagDriftRecord } from './messages/tag-drift.js';
export { valueSetEntries, type SetKey, type SetSummary, type ValueSet } from './messages/value-sets.js';
export {
  leasePayloadSchema,
  leaseAuditEntrySchema,
  type LeaseRequest,
  type LeaseReply,
  type LeasePayload,
  type LeaseAuditEntry,
} from './messages/secrets.js';
export {
  runRequestSchema,
  runStateSchema,
  runEventSchema,
  runStatus,
  isTerminalRunStatus,
  type RunRequest,
  type RunState,
  type RunEvent,
} from './messages/runs.js';
export {
  installationRecordSchema,
  installationStatus,
  type InstallationStatus,
  outputRecordSchema,
  type InstallationKey,
  type InstallationRecord,
  type OutputRecord,
  type RunSummary,
} from './messages/installations.js';
export type { OutputShowRequest, OutputShowReply } from './messages/broker-operations.js';
export { sealingContexts } from './sealing-contexts.js';
export { signedStatements } from './signed-statements.js';
export {
  runInputSchema,
  runSourceKey,
  runAdmissionSchema,
  installationLockSchema,
  type RunInput,
  type RunSubmitRequest,
  type RunAdmission,
  type SignedRunStatement,
} from './messages/run-admission.js';
export {
  natsAccounts,
  adminPrincipal,
  everyNamespace,
  principalNameSchema,
  callerInfoHeader,
  callerInfoSchema,
  inboxPrefix,
} from './identity.js';
export { cnabDocumentSchema } from './cnab/document-schema.js';
export { claimStatuses, claimStatus } from './cnab/documents.js';
export type {
  JsonSchemaDefinition,
  Bundle,
  Claim,
  ClaimStatus,
  ClaimResultOutput,
  ClaimResult,
  ValueMapping,
  CredentialSet,
  ParameterSet,
  Installation,
  RelocationMapping,
  BundleStatus,
  Dependencies,
  ParameterSources,
  CnabDocumentKind,
  CnabProblem,
} from './cnab/documents.js';
