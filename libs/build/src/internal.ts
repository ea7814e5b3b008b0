// The bundle build's internal entry (`@lading/build/internal`): the public face and the steps behind
// it that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export { resolveDigest, resolveDigests, resolveConcurrency } from './resolve-digest.js';
export { BuildRefusedError, type BuildInput } from './types.js';
