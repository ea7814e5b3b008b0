// The contracts' internal entry (`@lading/contracts/internal`): the public face and the parts behind
// it that only tests use (defining an endpoint of their own, the digest-reference schema).
// Production code imports the public face only.
export * from './index.js';
export { endpoint } from './endpoint.js';
export { digestReferenceSchema } from './messages/references.js';
export { runStatuses, runStatusSchema, terminalRunStatuses, type RunStatus } from './messages/runs.js';
export { installationStatusSchema } from './messages/installations.js';
export { claimStatusSchema } from './cnab/documents.js';
