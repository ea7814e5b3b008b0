// Running bundles and building images on Docker, with no root and no way out: the connection, the
// image build and pull by digest, the hardened bundle container and its run networks, leftovers
// cleanup, and the frames a run script writes. The parts its tests drive one by one are in
// ./internal.ts (`@lading/runtime/internal`).
export { connectDocker, ensureDockerAvailable, defaultDockerSocket } from './docker-connection.js';
export { RuntimeError } from './errors.js';
export { packBundleContext } from './bundle-context-pack.js';
export { unpackBundleContext } from './bundle-context-unpack.js';
export { assembleBuildContext } from './build-context.js';
export { buildImage } from './build-image.js';
export { makeBusyboxBaseImage } from './busybox-base-image.js';
export { saveImage } from './save-image.js';
export { parseDigestReference } from './digest-reference.js';
export { pullImageByDigest } from './pull-by-digest.js';
export { bundleUser, bundleUid } from './hardened-host-config.js';
export { userDatabase } from './nonroot-user.js';
export { runBundleContainer } from './run-container.js';
export { removeLeftovers, type RemovedLeftovers } from './leftovers.js';
export { bundleLabels, type ContainerOwner } from './bundle-labels.js';
export type { Egress } from './run-network.js';
export { RunNetworkPool } from './run-network-pool.js';
export { parseNetworkPoolSize } from './network-pool-setting.js';
export { ensureRunNetworkIsolation } from './host-isolation.js';
export { parseBundleDigests, dockerSocketGrants, type BundleDigests } from './privilege-grants.js';
export { parseCpuLimit } from './cpu-limit.js';
export { parseEgress } from './egress-setting.js';
export { encodeStdinPayload } from './stdin-payload.js';
export { OutputFrameScanner } from './output-frames.js';
export type { BundleFile, BundleContainerSettings, StepFrame } from './types.js';
