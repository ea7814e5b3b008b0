/**
 * A bundle runs exactly what its CNAB index names: a bundle.json that points its invocation image
 * at another digest or disagrees on contentDigest is refused before any lease or container; one
 * that names another registry runs the relocated copy in the bundle's repository, and the other
 * registry is never contacted.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, removeLeftovers } from '@lading/runtime';
import { connectToNats } from '@lading/service-kit/client';
import { startConnectionCounter, startNatsServer, startRegistry, type ConnectionCounter, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { executeRun, type ExecutionDependencies } from '../src/internal.js';
import {
  baseRepository,
  buildAndPublish,
  containerEvents,
  publishBundle,
  removeBaseImage,
  removeBundleImages,
  runRequest,
  seedBaseImage,
  startBrokerSide,
  type BrokerSide,
  type PublishedBundle,
} from './fixtures.js';

const suffix = randomBytes(4).toString('hex');
const bundleName = `lading-test-indexed-${suffix}`;
const localBaseTag = `lading-test-indexed-busybox:${suffix}`;

type InvocationImage = { image: string; contentDigest: string };

describe('the invocation image a run starts', () => {
  let nats: TestNatsServer;
  let registryServer: TestRegistry;
  let foreign: ConnectionCounter;
  let nc: NatsConnection;
  let registry: RegistryClient;
  let broker: BrokerSide;
  let published: PublishedBundle;
  let deps: ExecutionDependencies;
  const docker = connectDocker();

  /** Publishes the built bundle with its invocation image entry changed, runs it, and expects a refusal before any lease or container. */
  async function refusedRun(change: (image: InvocationImage) => void, tag: string): Promise<string> {
    const bundle = structuredClone(published.bundle) as { invocationImages: InvocationImage[] };
    change(bundle.invocationImages[0]);
    const reference = await publishBundle(registry, bundle as unknown as Record<string, unknown>, `${registryServer.host}/bundles/${bundleName}:${tag}`, published.invocationDigest);
    const since = Date.now();
    const request = runRequest({ installation: `indexed-${tag}`, bundleReference: reference });
    const state = await executeRun(request, deps);
    expect(state.status).toBe('failed');
    expect(state.message?.split('\n')).toHaveLength(1);
    expect(await containerEvents(docker, request.runId, since)).toEqual([]);
    expect(broker.audit.some((entry) => entry.runId === request.runId)).toBe(false);
    return state.message ?? '';
  }

  beforeAll(async () => {
    await ensureDockerAvailable(docker);
    [nats, registryServer, foreign] = await Promise.all([startNatsServer(), startRegistry(), startConnectionCounter()]);
    nc = await connectToNats({ natsUrl: nats.url, name: 'indexed-invocation-test' });
    registry = new RegistryClient({ registry: registryServer.host });
    await seedBaseImage(docker, registry, localBaseTag);
    published = await buildAndPublish(
      docker,
      registry,
      `schemaVersion: 1.0.0
name: ${bundleName}
version: 0.1.0
registry: ${registryServer.host}/bundles
baseImage: ${registryServer.host}/${baseRepository}:stable
install:
  - exec: { description: Say hello, command: echo, arguments: [hello] }
`,
    );
    broker = await startBrokerSide(nc, registry);
    deps = {
      docker,
      registry,
      records: broker.records,
      ...broker.parts,
      publishEvent: () => undefined,
      container: { owner: { runnerId: broker.parts.runnerId, stackId: `lading-test-stack-${suffix}` } },
      allowDockerSocket: () => false,
      log: () => undefined,
    };
  });

  afterAll(async () => {
    // A test that failed while its bundle ran leaves the container and its network: removed by owner.
    if (deps) await removeLeftovers(docker, deps.container.owner);
    await removeBundleImages(docker, bundleName);
    if (registryServer) await removeBaseImage(docker, localBaseTag, registryServer.host);
    await nc?.close();
    await Promise.all([nats?.stop(), registryServer?.stop(), foreign?.stop()]);
  });

  it('runs the bundle as published: the image its index names', async () => {
    const queued = await broker.admit(runRequest({ installation: 'indexed-ok', bundleReference: published.reference }));
    const state = await executeRun(queued, deps);
    expect(state.status, state.message).toBe('succeeded');
  });

  it('refuses a bundle.json whose image names another digest while contentDigest and the index agree', async () => {
    const base = await registry.headManifest(baseRepository, 'stable');
    const other = `${registryServer.host}/${baseRepository}@${base?.digest}`;
    const message = await refusedRun((image) => void (image.image = other), 'other-digest');
    expect(message).toContain(`bundle.json names invocation image ${other} but its index holds ${published.invocationDigest}`);
  });

  it('runs a bundle.json whose invocation image names another registry from the copy in the bundle repository, never contacting the other', async () => {
    const bundle = structuredClone(published.bundle) as { invocationImages: InvocationImage[] };
    bundle.invocationImages[0].image = `${foreign.host}/bundles/${bundleName}@${published.invocationDigest}`;
    const reference = await publishBundle(registry, bundle as unknown as Record<string, unknown>, `${registryServer.host}/bundles/${bundleName}:elsewhere`, published.invocationDigest);
    const queued = await broker.admit(runRequest({ installation: 'indexed-elsewhere', bundleReference: reference }));
    const state = await executeRun(queued, deps);
    expect(state.status, state.message).toBe('succeeded');
    expect(foreign.connections()).toBe(0);
  });
});
