// The registry guard's public face: what the registry-guard service starts and serves with. The
// parts tests drive one by one are in ./internal.ts (`@lading/guard/internal`).
export { TagLedger } from './ledger/tag-ledger.js';
export { TagConflictError, TagDriftError } from './ledger/tag-errors.js';
export { BundlePublisher } from './publish/bundle-publisher.js';
export { startFrontDoor } from './front-door/front-door-server.js';
export { namespaceAccess, type RegistryAccess } from './rules/registry-access.js';
export { principalFromVerifiers } from './auth/principals-auth.js';
export type { PrincipalFrom } from './auth/principal.js';
export { RegistryTokens } from './auth/registry-tokens.js';
export { retryTransient } from './upstream/upstream-retry.js';
