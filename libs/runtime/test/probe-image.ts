import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll } from 'vitest';
import {
  assembleBuildContext,
  buildImage,
  encodeStdinPayload,
  ensureDockerAvailable,
  makeBusyboxBaseImage,
  pullImageByDigest,
  removeLeftovers,
  runBundleContainer,
  type ContainerOwner,
  type RunBundleContainerOptions,
} from '../src/internal.js';
import { bundleDockerfile, pushForDigest, removeImages, uniqueName } from './docker-fixtures.js';
import { probeRunScript } from './probe-run-script.js';

/**
 * Builds the probe bundle image, pushes it to the test registry and pulls it back by digest.
 * Adversarial: the image asks to run as root. `/owned` on its root file system belongs to the
 * bundle user, so only the read-only root keeps the bundle from writing there.
 * `made` collects every image name to remove afterwards.
 */
export async function makeProbeImage(docker: Docker, registryHost: string, made: Set<string>): Promise<string> {
  const baseTag = `${uniqueName('probe-base')}:busybox`;
  made.add(baseTag);
  await makeBusyboxBaseImage(docker, { tag: baseTag });
  const localTag = `${uniqueName('probe-bundle')}:v1`;
  made.add(localTag);
  const context = assembleBuildContext({
    files: [{ path: 'owned/.keep', mode: 0o644, content: Buffer.alloc(0) }],
    dockerfile: bundleDockerfile(baseTag, 'root', ['COPY --chown=65532:65532 app/owned/ /owned/']),
    runScript: probeRunScript,
  });
  await buildImage(docker, context, { tag: localTag, labels: {} });
  const image = await pushForDigest(docker, localTag, registryHost, uniqueName('probe'), made);
  made.add(image);
  await pullImageByDigest(docker, image);
  return image;
}

export interface ProbeSuite {
  /** Owner labels of every container the suite runs; whatever a failed test left is removed by them. */
  owner: ContainerOwner;
  /** The probe image's digest reference, once beforeAll has made it. */
  image(): string;
}

/** Registers the hooks of a suite that runs the probe image: a registry, the image, cleanup by owner. */
export function useProbeImage(docker: Docker, owner: ContainerOwner = { runnerId: uniqueName('runner'), stackId: uniqueName('stack') }): ProbeSuite {
  const made = new Set<string>();
  let registry: TestRegistry | undefined;
  let image = '';
  beforeAll(async () => {
    await ensureDockerAvailable(docker);
    registry = await startRegistry();
    image = await makeProbeImage(docker, registry.host, made);
  });
  afterAll(async () => {
    await removeLeftovers(docker, owner);
    await removeImages(docker, [...made].reverse());
    await registry?.stop();
  });
  return { owner, image: () => image };
}

/** Lets a probe waiting on its fifo (`pause`, `listen`, `canary`) go on. */
export async function releaseProbe(docker: Docker, container: string): Promise<void> {
  const exec = await docker.getContainer(container).exec({ Cmd: ['sh', '-c', 'echo go > /tmp/release'], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.resume();
  });
}

export interface StartedProbe {
  name: string;
  /** The container's id once it started. */
  started: Promise<string>;
  /** Everything the probe wrote to stdout, once its run ended. */
  done: Promise<string>;
}

/** Runs the probe image with `action`, as the runner would, without waiting for it. */
export function startProbe(docker: Docker, suite: ProbeSuite, action: string, extra: Partial<RunBundleContainerOptions> = {}): StartedProbe {
  const name = uniqueName(action);
  let stdout = '';
  let started: (containerId: string) => void = () => undefined;
  const containerId = new Promise<string>((resolve) => (started = resolve));
  const done = runBundleContainer(docker, {
    image: suite.image(),
    name,
    owner: suite.owner,
    stdinPayload: encodeStdinPayload({ action, nonce: randomBytes(16).toString('hex') }),
    onStarted: started,
    ...extra,
    onStdout: (chunk) => {
      stdout += chunk.toString();
      extra.onStdout?.(chunk);
    },
  }).then(() => stdout);
  return { name, started: containerId, done };
}

/** A probe that serves HTTP on its own address until released; `address` is that address once it listens. */
export function startListener(docker: Docker, suite: ProbeSuite, extra: Partial<RunBundleContainerOptions> = {}): { run: StartedProbe; address: Promise<string> } {
  let listening: (address: string) => void = () => undefined;
  const address = new Promise<string>((resolve) => (listening = resolve));
  let seen = '';
  const run = startProbe(docker, suite, 'listen', {
    ...extra,
    onStdout: (chunk) => {
      seen += chunk.toString();
      const match = /LISTENING (\S+)\n/.exec(seen);
      if (match) listening(match[1]);
    },
  });
  return { run, address };
}
