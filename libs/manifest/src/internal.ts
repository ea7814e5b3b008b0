// The manifest library's internal entry (`@lading/manifest/internal`): the public face and the parts
// behind it that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export type { ExecStep, ResolvedImages, TemplatedString } from './types.js';
export { BUILD_CONTEXT_APP_DIR, BUILD_CONTEXT_RUN_SCRIPT } from './constants.js';
export { parseOutputFrame } from './run-protocol.js';
export { scaffoldManifest } from './scaffold.js';
