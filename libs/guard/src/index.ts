export { TagLedger } from './tag-ledger.js';
export { BundlePublisher, PublishRefusedError, PublishForbiddenError, type PublishBundleRequest, type PublishedBundle } from './bundle-publisher.js';
export { ImageRelocator } from './image-relocator.js';
export { retryTransient } from './upstream-retry.js';
export { createFrontDoor, type FrontDoorOptions } from './front-door.js';
export { startFrontDoor, frontDoorDefaults, type FrontDoorServer, type FrontDoorServerOptions } from './front-door-server.js';
export type { DataPlaneMemory } from './data-plane-messages.js';
export {
  anonymousPrincipal,
  namespaceAccess,
  repositoryNamespace,
  repositoryRefusal,
  type RegistryAccess,
  type AccessRequest,
  type AccessRefusal,
  type NamespaceAccessOptions,
} from './registry-access.js';
export { principalFromVerifiers, type VerifierOf } from './principals-auth.js';
export { RegistryTokens, tokenPath } from './registry-tokens.js';
export {
  principalFromBasicAuth,
  principalFromHeader,
  principalFromUpstreamCredentials,
  forceHeader,
  type PrincipalFrom,
} from './principal.js';
export {
  TagConflictError,
  TagDeleteRefusedError,
  ForceNotAllowedError,
  TagNotFoundError,
  TagLedgerBusyError,
  TagDriftError,
} from './errors.js';
export { driftPrincipal, type TagDrift } from './tag-drift.js';
export { tagAuditEntrySchema, type TagAuditEntry } from './tag-audit.js';
export { ledgerEntrySchema } from './ledger-entry.js';
export { tagKey, parseTagKey } from './tag-key.js';
export { knownManifestMediaTypes } from './manifest-body.js';
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
} from './types.js';
