import type { RunInput } from '@lading/manifest';
import type { Readable } from 'node:stream';
import type { ContainerOwner } from './bundle-labels.js';
import type { Egress } from './run-network.js';
import type { RunNetworkPool } from './run-network-pool.js';

export interface ConnectDockerOptions {
  /** Unix socket of the Docker Engine; defaults to /var/run/docker.sock. */
  socketPath?: string;
}

/** One JSON message of a build, pull, push or import progress stream. */
export interface DockerStreamMessage {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: { ID?: string; Digest?: string; Tag?: string; Size?: number };
  [key: string]: unknown;
}

export type DockerStreamListener = (message: DockerStreamMessage) => void;

/** A regular file of a bundle directory, as it travels from the CLI to the builder. */
export interface BundleFile {
  /** Relative POSIX path, without `.` or `..` segments. */
  path: string;
  /** 0o644 or 0o755: only the executable bit of the original survives. */
  mode: number;
  content: Buffer;
}

export interface PackBundleContextOptions {
  /** Upper bound for the summed size of all file contents. */
  maxBytes: number;
}

export interface UnpackBundleContextOptions {
  /** Upper bound for the summed size of all file contents. */
  maxBytes: number;
  /** Upper bound for the number of archive entries, directories included. */
  maxEntries: number;
}

export interface AssembleBuildContextInput {
  files: readonly BundleFile[];
  dockerfile: string;
  runScript: string | Buffer;
}

export interface BuildImageOptions {
  tag?: string;
  labels?: Record<string, string>;
  onMessage?: DockerStreamListener;
}

export interface BusyboxBaseImageOptions {
  /** Repository and tag, e.g. `lading-base:busybox`. */
  tag: string;
  /** Defaults to /bin/busybox (Debian's busybox-static). */
  busyboxPath?: string;
}

export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress?: string;
}

export interface PullImageOptions {
  auth?: RegistryAuth;
  onMessage?: DockerStreamListener;
}

export interface PulledImage {
  /** Local image id (`sha256:` of the image config). */
  id: string;
  /** The digest reference that was asked for and verified. */
  reference: string;
  /** The image's labels, from the same inspection that verified it. */
  labels: Record<string, string>;
}

export interface DigestReference {
  repository: string;
  digest: string;
}

export interface HardenedHostConfigOptions {
  allowDockerSocket?: boolean;
  /** Group owning the Docker socket, added to the bundle user only when the socket is allowed. */
  dockerSocketGid?: number;
  dockerSocketPath?: string;
  /** `host:container:ro` binds of files staged by stageReadOnlyFiles. */
  readOnlyBinds?: readonly string[];
  /** NetworkMode: the run's own network, or `none`. */
  network?: string;
  memoryBytes?: number;
  pidsLimit?: number;
  /** CPU limit in billionths of a CPU; one CPU unless given. */
  nanoCpus?: number;
  /** A tmpfs at /cnab/app the bundle user may write, for images that copy their files there at start (WRITABLE_APP_LABEL). */
  writableApp?: boolean;
}

/** How a runner runs every bundle: who owns the containers, and the operator's limits. */
export interface BundleContainerSettings {
  owner: ContainerOwner;
  /** `on` unless the operator turned egress off. */
  egress?: Egress;
  nanoCpus?: number;
  memoryBytes?: number;
  pidsLimit?: number;
  /** Networks made ahead; without one (or with egress off) the run's network is made when it starts. */
  networkPool?: RunNetworkPool;
}

export interface RunBundleContainerOptions extends BundleContainerSettings {
  /** Digest reference (`repo@sha256:…`) or local image id (`sha256:…`); tags are refused. */
  image: string;
  name: string;
  /** Secrets and parameters for the run script; it is never part of the container config. */
  stdinPayload: Buffer;
  labels?: Record<string, string>;
  /** Non-secret settings only: they are visible in `docker inspect`. */
  env?: Record<string, string>;
  allowDockerSocket?: boolean;
  /** Container path → non-secret content mounted read-only (the relocation mapping); visible to anyone on the Docker host. */
  readOnlyFiles?: Readonly<Record<string, Buffer>>;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** The image's labels as its pull read them (`PulledImage.labels`); the engine is asked when absent. */
  imageLabels?: Readonly<Record<string, string>>;
  /** Called once the container is started, with its id. */
  onStarted?: (containerId: string) => void;
  signal?: AbortSignal;
  /**
   * Takes the removal of the container, its network and its staged files instead of running it
   * before returning, also when the run fails: the caller must run it, e.g. once the result is
   * recorded, so that the user does not wait for Docker's clean-up.
   */
  removeLater?: (removal: () => Promise<void>) => void;
}

export interface BundleContainerResult {
  exitCode: number;
  containerId: string;
}

/** What the run script reads on stdin, as the run protocol defines it. */
export type StdinPayloadInput = RunInput;

export interface OutputFrameParserOptions {
  /** A frame longer than this is dropped and reported as malformed; defaults to 16 MiB. */
  maxFrameBytes?: number;
  /** Called for a line that carries the nonce but is not a valid frame; the line is dropped. */
  onMalformed?: (reason: string) => void;
  /** Called for a `mask` frame: a value the run script asks to be masked from here on. */
  onMask?: (value: Buffer) => void;
  /** Called for a `step` frame: a step began (with the span id the run script gave it) or ended (with its exit status). */
  onStep?: (frame: StepFrame) => void;
}

export type StepFrame = { index: number; kind: 'start'; spanId: string } | { index: number; kind: 'end'; exitCode: number };

export type OutputListener = (name: string, value: Buffer) => void;

export type BuildContext = Readable;
