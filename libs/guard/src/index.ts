// The registry guard's public face: what the registry-guard service starts and serves with. The
// parts tests drive one by one are in ./internal.ts (`@lading/guard/internal`).
export { TagLedger } from './ledger/tag-ledger.js';
export type { TagLedgerOptions } from './ledger/ledger-types.js';
export type { TagDrift } from './ledger/tag-drift.js';
export type { TagAuditEntry } from './ledger/tag-audit.js';
export { TagConflictError, ForceNotAllowedError, TagDriftError } from './ledger/tag-errors.js';
export { BundlePublisher, PublishRefusedError, PublishForbiddenError, type PublishBundleRequest, type PublishedBundle } from './publish/bundle-publisher.js';
export { startFrontDoor, type FrontDoorServer, type FrontDoorServerOptions } from './front-door/front-door-server.js';
export type { FrontDoorOptions } from './rules/rule-engine.js';
export { namespaceAccess, type RegistryAccess, type AccessRequest, type AccessRefusal, type NamespaceAccessOptions } from './rules/registry-access.js';
export { principalFromVerifiers, type VerifierOf } from './auth/principals-auth.js';
export type { PrincipalFrom } from './auth/principal.js';
export { RegistryTokens } from './auth/registry-tokens.js';
export { retryTransient } from './upstream/upstream-retry.js';
