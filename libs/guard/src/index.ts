export { TagLedger } from './ledger/tag-ledger.js';
export { BundlePublisher, PublishRefusedError, PublishForbiddenError, type PublishBundleRequest, type PublishedBundle } from './publish/bundle-publisher.js';
export { ImageRelocator } from './publish/image-relocator.js';
export { retryTransient } from './upstream/upstream-retry.js';
export { createFrontDoor, type FrontDoorOptions } from './rules/rule-engine.js';
export { startFrontDoor, frontDoorDefaults, type FrontDoorServer, type FrontDoorServerOptions } from './front-door/front-door-server.js';
export type { DataPlaneMemory } from './front-door/data-plane-messages.js';
export {
  anonymousPrincipal,
  namespaceAccess,
  repositoryNamespace,
  repositoryRefusal,
  type RegistryAccess,
  type AccessRequest,
  type AccessRefusal,
  type NamespaceAccessOptions,
} from './rules/registry-access.js';
export { principalFromVerifiers, type VerifierOf } from './auth/principals-auth.js';
export { RegistryTokens, tokenPath } from './auth/registry-tokens.js';
export {
  principalFromBasicAuth,
  principalFromHeader,
  principalFromUpstreamCredentials,
  forceHeader,
  type PrincipalFrom,
} from './auth/principal.js';
export {
  TagConflictError,
  TagDeleteRefusedError,
  ForceNotAllowedError,
  TagNotFoundError,
  TagLedgerBusyError,
  TagDriftError,
} from './ledger/tag-errors.js';
export { driftPrincipal, type TagDrift } from './ledger/tag-drift.js';
export { tagAuditEntrySchema, type TagAuditEntry } from './ledger/tag-audit.js';
export { ledgerEntrySchema } from './ledger/ledger-entry.js';
export { tagKey, parseTagKey } from './ledger/tag-key.js';
export { knownManifestMediaTypes } from './rules/manifest-body.js';
export type {
  LedgerEntry,
  TagUpstream,
  TagDeleteUpstream,
  WriteTagRequest,
  WriteTagResult,
  WriteTagOutcome,
  DeleteTagRequest,
  DeleteTagResult,
  TagLedgerOptions,
} from './ledger/ledger-types.js';
