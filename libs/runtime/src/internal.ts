// The runtime library's internal entry (`@lading/runtime/internal`): the public face and the parts
// behind it that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export { followDockerStream } from './docker-stream.js';
export { hardenedHostConfig } from './hardened-host-config.js';
export { stageReadOnlyFiles } from './read-only-files.js';
export { ownerLabels } from './bundle-labels.js';
export { createRunNetwork, removeRunNetwork } from './run-network.js';
export type { PrivilegeGrant } from './privilege-grants.js';
export { createOutputFrameParser } from './output-frames.js';
export type { RunBundleContainerOptions } from './types.js';
export { bundleFileFilter } from './dockerignore.js';
