export { connectDocker, ensureDockerAvailable, defaultDockerSocket } from './docker-connection.js';
export { followDockerStream } from './docker-stream.js';
export { RuntimeError, type RuntimeErrorReason } from './errors.js';
export { packBundleContext } from './bundle-context-pack.js';
export { unpackBundleContext } from './bundle-context-unpack.js';
export { assembleBuildContext } from './build-context.js';
export { buildImage } from './build-image.js';
export { makeBusyboxBaseImage } from './busybox-base-image.js';
export { saveImage } from './save-image.js';
export { parseDigestReference, isImageId } from './digest-reference.js';
export { pullImageByDigest } from './pull-by-digest.js';
export { hardenedHostConfig, bundleUser, bundleUid } from './hardened-host-config.js';
export { userDatabase } from './nonroot-user.js';
export { runBundleContainer } from './run-container.js';
export { stageReadOnlyFiles } from './read-only-files.js';
export { removeLeftovers, type RemovedLeftovers } from './leftovers.js';
export { bundleLabels, ownerLabels, type ContainerOwner } from './bundle-labels.js';
export { createRunNetwork, removeRunNetwork, runBridgePrefix, type Egress } from './run-network.js';
export { RunNetworkPool } from './run-network-pool.js';
export { parseNetworkPoolSize, defaultNetworkPoolSize } from './network-pool-setting.js';
export { ensureRunNetworkIsolation } from './host-isolation.js';
export { parseBundleDigests, dockerSocketGrants, type BundleDigests, type PrivilegeGrant } from './privilege-grants.js';
export { parseCpuLimit, defaultNanoCpus } from './cpu-limit.js';
export { parseEgress } from './egress-setting.js';
export { encodeStdinPayload } from './stdin-payload.js';
export { createOutputFrameParser, OutputFrameScanner } from './output-frames.js';
export type {
  ConnectDockerOptions,
  DockerStreamMessage,
  DockerStreamListener,
  BundleFile,
  PackBundleContextOptions,
  UnpackBundleContextOptions,
  AssembleBuildContextInput,
  BuildContext,
  BuildImageOptions,
  BusyboxBaseImageOptions,
  RegistryAuth,
  PullImageOptions,
  PulledImage,
  DigestReference,
  HardenedHostConfigOptions,
  RunBundleContainerOptions,
  BundleContainerSettings,
  BundleContainerResult,
  StdinPayloadInput,
  OutputFrameParserOptions,
  OutputListener,
  StepFrame,
} from './types.js';
export { bundleFileFilter } from './dockerignore.js';
