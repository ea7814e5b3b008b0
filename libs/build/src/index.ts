export { buildBundle } from './build-bundle.js';
export { resolveDigest, resolveDigests, resolveConcurrency, type ImageToPin, type ResolveOptions, type PinnedImage } from './resolve-digest.js';
export { BuildRefusedError, type BuildInput, type BuildOutput } from './types.js';
