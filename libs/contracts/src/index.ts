export { subjects, serviceNames, type ServiceRole } from './subjects.js';
export { streams, buckets, objectStores } from './storage-names.js';
export { baseImages, baseImageReference, defaultBaseImage, defaultBaseImageName, type BaseImageName } from './base-images.js';
export { replyErrorSchema, replySchema, type ReplyError } from './envelope.js';
export { errorVocabulary, errorCodes, isErrorCode, CodedError, isCodedError, type ErrorCode } from './errors/index.js';
export { endpoint, type Endpoint, type RequestOf, type ParsedRequestOf, type ReplyOf } from './endpoint.js';
export { endpoints } from './endpoints.js';
export { sealedBoxSchema, type SealedBox } from './messages/sealed-box.js';
export {
  digestReferenceSchema,
  digestSchema,
  resourceNameSchema,
  secretNameSchema,
  namespaceSchema,
} from './messages/references.js';
export {
  buildContextLimits,
  buildRequestSchema,
  buildReplySchema,
  contextUploadRequestSchema,
  contextUploadReplySchema,
  type BuildRequest,
  type BuildReply,
  type ContextUploadRequest,
  type ContextUploadReply,
} from './messages/build.js';
export {
  publishRequestSchema,
  publishReplySchema,
  publishOutcomes,
  type PublishRequest,
  type PublishReply,
} from './messages/publish.js';
export {
  tagAuditRequestSchema,
  tagAuditRecordSchema,
  tagAuditReplySchema,
  type TagAuditRequest,
  type TagAuditRecord,
  type TagAuditReply,
} from './messages/tag-audit.js';
export { tagDriftRecordSchema, tagDriftReplySchema, type TagDriftRecord, type TagDriftReply } from './messages/tag-drift.js';
export {
  setKeySchema,
  setApplyRequestSchema,
  setListRequestSchema,
  setSummarySchema,
  setListReplySchema,
  setShowReplySchema,
  valueSetEntries,
  type ValueSet,
  type SetKey,
  type SetSummary,
} from './messages/value-sets.js';
export {
  brokerPublicKeyReplySchema,
  secretSetRequestSchema,
  leaseRequestSchema,
  leaseReplySchema,
  leasePayloadSchema,
  leaseAuditEntrySchema,
  outputStoreRequestSchema,
  type LeaseRequest,
  type LeaseReply,
  type LeasePayload,
  type LeaseAuditEntry,
} from './messages/secrets.js';
export {
  runRequestSchema,
  runStateSchema,
  runEventSchema,
  runStatuses,
  runStatusSchema,
  runStatus,
  terminalRunStatuses,
  isTerminalRunStatus,
  type RunRequest,
  type RunState,
  type RunEvent,
  type RunStatus,
} from './messages/runs.js';
export {
  installationKeySchema,
  installationRecordSchema,
  installationStatusSchema,
  installationStatus,
  type InstallationStatus,
  outputRecordSchema,
  type InstallationKey,
  type InstallationRecord,
  type OutputRecord,
  type RunSummary,
} from './messages/installations.js';
export {
  secretsRotateKeyReplySchema,
  outputShowRequestSchema,
  outputShowReplySchema,
  leaseAuditRequestSchema,
  leaseAuditReplySchema,
  type SecretsRotateKeyReply,
  type OutputShowRequest,
  type OutputShowReply,
  type LeaseAuditReply,
} from './messages/broker-operations.js';
export { sealingContexts } from './sealing-contexts.js';
export { signedStatements } from './signed-statements.js';
export {
  runIdSchema,
  runnerIdSchema,
  runInputSchema,
  runSourceKey,
  runSubmitRequestSchema,
  runAdmissionSchema,
  signedRunStatementSchema,
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
export { claimStatusSchema, claimStatuses, claimStatus } from './cnab/documents.js';
export type * from './cnab/documents.js';
