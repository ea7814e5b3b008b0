// The registry guard's internal entry (`@lading/guard/internal`): the public face and the parts
// behind it that its tests drive one by one. Production code imports the public face only
// (tools/check-boundaries.mjs holds it to that).
export * from './index.js';
export { classifyRequest, routeTemplate, type OciAction, type OciRequest, type OciRoute } from './oci/oci-route.js';
export { anonymousPrincipal } from './rules/registry-access.js';
export { tokenPath } from './auth/registry-tokens.js';
export { principalFromBasicAuth, principalFromUpstreamCredentials, forceHeader } from './auth/principal.js';
export { driftPrincipal } from './ledger/tag-drift.js';
export { appendTagAudit } from './ledger/tag-audit.js';
export { tagKey } from './ledger/tag-key.js';
export type { LedgerEntry } from './ledger/ledger-types.js';
export type { FrontDoorServer, FrontDoorServerOptions } from './front-door/front-door-server.js';
export type { FrontDoorOptions } from './rules/rule-engine.js';
