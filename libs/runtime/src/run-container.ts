import { stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { trace, withSpan } from '@lading/telemetry';
import { isImageId, parseDigestReference } from './digest-reference.js';
import { defaultDockerSocket } from './docker-connection.js';
import { engineMessage, httpStatus, RuntimeError } from './errors.js';
import { WRITABLE_APP_LABEL } from '@lading/manifest';
import { bundleUser, hardenedHostConfig } from './hardened-host-config.js';
import { ownerLabels } from './bundle-labels.js';
import { createRunNetwork, removeRunNetwork } from './run-network.js';
import { watchContainerExit } from './container-exit.js';
import { stageReadOnlyFiles } from './read-only-files.js';
import type { BundleContainerResult, RunBundleContainerOptions } from './types.js';

const containerName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Runs a bundle's invocation image in the hardened configuration, on a network of its own, and
 * hands it its secrets through stdin only, so that no value is part of the container config
 * (`docker inspect`) or touches the host disk. The container and its network are always removed
 * afterwards: before this returns, or, with `removeLater`, by the caller once it has recorded the
 * result. Both carry the owner's labels so that a runner killed mid-run clears them on its next
 * start.
 */
export async function runBundleContainer(docker: Docker, options: RunBundleContainerOptions): Promise<BundleContainerResult> {
  validateRunOptions(options);
  throwIfAborted(options.signal, options.name);
  const labels = { ...options.labels, ...ownerLabels(options.owner) };
  // Each step's undoing, newest first: the container before its network (Docker refuses the other order).
  const undo: Array<() => Promise<unknown>> = [];
  const removeAll = async (): Promise<void> => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
  };
  try {
    const staged = await stageReadOnlyFiles(options.readOnlyFiles ?? {});
    undo.push(() => staged.remove());
    const network = await takeRunNetwork(docker, options, labels);
    undo.push(() => removeRunNetwork(docker, network));
    const container = await withSpan('lading', 'container create', { 'container.name': options.name, 'container.image.name': options.image }, async (span) => {
      const created = await createBundleContainer(docker, options, labels, network, staged.binds);
      span.setAttribute('container.id', created.id);
      return created;
    });
    undo.push(() => container.remove({ force: true, v: true }));
    return await attachStartAndWait(container, docker, options);
  } finally {
    if (options.removeLater) options.removeLater(removeAll);
    else await removeAll();
  }
}

/** The run's own network: `none` with egress off, else one from the pool made ahead, else one made now and named after the run. */
function takeRunNetwork(docker: Docker, options: RunBundleContainerOptions, labels: Record<string, string>): Promise<string> {
  const egress = options.egress ?? 'on';
  if (egress === 'on' && options.networkPool) return options.networkPool.take();
  return createRunNetwork(docker, options.name, labels, egress);
}

function validateRunOptions(options: RunBundleContainerOptions): void {
  if (!isImageId(options.image)) parseDigestReference(options.image);
  if (!containerName.test(options.name)) {
    throw new RuntimeError('invalid-run-options', `Container name ${JSON.stringify(options.name)} is not valid: use letters, digits, ".", "_" and "-".`);
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (!envName.test(name) || value.includes('\0')) {
      throw new RuntimeError('invalid-run-options', `Environment variable ${JSON.stringify(name)} is not valid: use letters, digits and underscores, and no NUL bytes in the value.`);
    }
  }
}

function throwIfAborted(signal: AbortSignal | undefined, name: string): void {
  if (signal?.aborted) throw new RuntimeError('run-aborted', `Run ${name} was cancelled before its container finished.`);
}

async function createBundleContainer(
  docker: Docker,
  options: RunBundleContainerOptions,
  labels: Record<string, string>,
  network: string,
  readOnlyBinds: readonly string[],
): Promise<Docker.Container> {
  const dockerSocketGid = options.allowDockerSocket ? (await stat(defaultDockerSocket)).gid : undefined;
  // A missing image is reported by createContainer below, with the reference it names.
  const imageLabels = options.imageLabels ?? (await docker.getImage(options.image).inspect().catch(() => undefined))?.Config?.Labels ?? {};
  try {
    return await docker.createContainer({
      name: options.name,
      Image: options.image,
      // Whatever USER the image declares, the bundle runs as the unprivileged bundle user.
      User: bundleUser,
      Env: Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`),
      Labels: labels,
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      HostConfig: hardenedHostConfig({
        allowDockerSocket: options.allowDockerSocket,
        dockerSocketGid,
        network,
        writableApp: imageLabels[WRITABLE_APP_LABEL] === 'true',
        readOnlyBinds,
        memoryBytes: options.memoryBytes,
        pidsLimit: options.pidsLimit,
        nanoCpus: options.nanoCpus,
      }),
    });
  } catch (error) {
    if (httpStatus(error) === 404) {
      throw new RuntimeError('image-missing', `Image ${options.image} is not on this Docker host: pull it by digest first.`, { cause: error });
    }
    if (httpStatus(error) === 409) {
      throw new RuntimeError('invalid-run-options', `A container named ${options.name} already exists: use a new run id.`, { cause: error });
    }
    throw new RuntimeError('docker-engine', `Creating the bundle container failed: ${engineMessage(error)}`, { cause: error });
  }
}

/** Delivers demultiplexed output; a throwing callback is remembered and fails the run after cleanup. */
function sink(callback: ((chunk: Buffer) => void) | undefined, onFailure: (error: unknown) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        callback?.(chunk);
      } catch (error) {
        onFailure(error);
      }
      done();
    },
  });
}

async function attachStartAndWait(
  container: Docker.Container,
  docker: Docker,
  options: RunBundleContainerOptions,
): Promise<BundleContainerResult> {
  // Attaching before start is the only way to see the first bytes and to own stdin.
  const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as NodeJS.ReadWriteStream & { destroy(): void };
  const streamClosed = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    // A bundle that exits without reading stdin breaks the pipe: that is its own failure.
    stream.on('error', () => resolve());
  });
  let callbackFailure: unknown;
  const remember = (error: unknown): void => {
    callbackFailure ??= error;
  };
  docker.modem.demuxStream(stream, sink(options.onStdout, remember), sink(options.onStderr, remember));

  let aborted = false;
  const abort = (): void => {
    aborted = true;
    container.kill().catch(() => undefined);
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  const exit = watchContainerExit(docker, container);
  try {
    await withSpan('lading', 'container start', { 'container.id': container.id }, async () => {
      try {
        await container.start();
      } catch (error) {
        throw new RuntimeError('docker-engine', `Starting the bundle container failed: ${engineMessage(error)}`, { cause: error });
      }
    });
    options.onStarted?.(container.id);
    if (options.signal?.aborted) abort();
    stream.write(options.stdinPayload);
    stream.end();
    const { code: exitCode, from } = await exit.exitCode();
    // Which of Docker's two reports ended the run, for the run's trace.
    trace.getActiveSpan()?.setAttribute('lading.container.exit_reported_by', from);
    await streamClosed;
    if (aborted) throw new RuntimeError('run-aborted', `Run ${options.name} was cancelled before its container finished.`);
    if (callbackFailure !== undefined) throw callbackFailure;
    return { exitCode, containerId: container.id };
  } finally {
    exit.stop();
    options.signal?.removeEventListener('abort', abort);
    stream.destroy();
  }
}
