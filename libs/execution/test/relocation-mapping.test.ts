/**
 * A run hands the bundle CNAB's relocation mapping read-only at /cnab/app/relocation-mapping.json,
 * mapping every image bundle.json names to its copy in the bundle's repository, by digest; a
 * mapped image that is not there refuses the run before any lease or container.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRelocationMapping } from '@lading/cnab';
import { copyImage, parseReference, RegistryClient } from '@lading/oci';
import { connectDocker, ensureDockerAvailable } from '@lading/runtime';
import { connectToNats } from '@lading/service-kit/client';
import { startNatsServer, startRegistry, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { executeRun, type ExecutionDependencies } from '../src/internal.js';
import {
  baseRepository,
  buildAndPublish,
  containerEvents,
  EventLog,
  manifestHeader,
  publishBundle,
  removeBaseImage,
  removeBundleImages,
  runnerDependencies,
  runRequest,
  seedBaseImage,
  startBrokerSide,
  type BrokerSide,
  type PublishedBundle,
} from './fixtures.js';

const suffix = randomBytes(4).toString('hex');
const bundleName = `lading-test-relocation-${suffix}`;
const localBaseTag = `lading-test-relocation-busybox:${suffix}`;

describe('the relocation mapping a run sees', () => {
  let nats: TestNatsServer;
  let registryServer: TestRegistry;
  let nc: NatsConnection;
  let registry: RegistryClient;
  let broker: BrokerSide;
  let published: PublishedBundle;
  let deps: ExecutionDependencies;
  const events = new EventLog();
  const docker = connectDocker();

  const stdoutOf = (runId: string): string =>
    events
      .of(runId)
      .flatMap((event) => (event.type === 'log' && event.stream === 'stdout' ? [event.data] : []))
      .join('');

  beforeAll(async () => {
    await ensureDockerAvailable(docker);
    [nats, registryServer] = await Promise.all([startNatsServer(), startRegistry()]);
    nc = await connectToNats({ natsUrl: nats.url, name: 'relocation-test' });
    registry = new RegistryClient({ registry: registryServer.host });
    await seedBaseImage(docker, registry, localBaseTag);
    published = await buildAndPublish(
      docker,
      registry,
      `${manifestHeader(registryServer.host, bundleName)}images:
  tool: { repository: ${registryServer.host}/${baseRepository}, tag: stable }
install:
  - exec:
      description: Show the mapping and try to change it
      command: sh
      arguments: [-c, 'cat /cnab/app/relocation-mapping.json; if echo x > /cnab/app/relocation-mapping.json; then echo MAPPING-WRITABLE; else echo MAPPING-READ-ONLY; fi']
  - exec:
      description: Name the referenced image as templates render it
      command: echo
      arguments: ['IMAGE={{ bundle.images.tool.repository }}@{{ bundle.images.tool.digest }}']
`,
    );
    broker = await startBrokerSide(nc, registry);
    deps = runnerDependencies(docker, registry, broker, `lading-test-relocation-${suffix}`, events.publish);
  });

  afterAll(async () => {
    await removeBundleImages(docker, bundleName);
    if (registryServer) await removeBaseImage(docker, localBaseTag, registryServer.host);
    await nc?.close();
    await Promise.all([nats?.stop(), registryServer?.stop()]);
  });

  it('maps the invocation image and each referenced image to the bundle repository by digest, read-only', async () => {
    const queued = await broker.admit(runRequest({ installation: 'relocation-ok', bundleReference: published.reference }));
    const state = await executeRun(queued, deps);
    expect(state.status, state.message).toBe('succeeded');
    const stdout = stdoutOf(queued.runId);
    const mapping = validateRelocationMapping(JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.indexOf('}') + 1)));
    const bundleRepository = parseReference(published.reference).repository;
    const invocation = (published.bundle.invocationImages as { image: string }[])[0].image;
    const tool = (published.bundle.images as Record<string, { image: string }>).tool.image;
    const digestOf = (reference: string) => parseReference(reference).digest;
    expect(mapping).toEqual({
      [invocation]: `${registryServer.host}/${bundleRepository}@${digestOf(invocation)}`,
      [tool]: `${registryServer.host}/${bundleRepository}@${digestOf(tool)}`,
    });
    expect(tool.startsWith(`${registryServer.host}/${baseRepository}@`)).toBe(true);
    expect(stdout).toContain('MAPPING-READ-ONLY');
    expect(stdout).toContain(`IMAGE=${registryServer.host}/${bundleRepository}@${digestOf(tool)}`);
    expect(stdout).not.toContain('MAPPING-WRITABLE');
  });

  it('refuses a bundle whose referenced image is not in its repository, before any lease or container', async () => {
    // The invocation image travels, so the refusal is about the referenced image alone.
    const behind = `bundles/${bundleName}-behind`;
    await copyImage(registry, { fromRepo: parseReference(published.reference).repository, digest: published.invocationDigest }, behind);
    const republished = await publishBundle(registry, published.bundle, `${registryServer.host}/${behind}:v1`, published.invocationDigest, { leaveImagesBehind: true });
    const since = Date.now();
    const request = runRequest({ installation: 'relocation-missing', bundleReference: republished });
    const state = await executeRun(request, deps);
    expect(state.status).toBe('failed');
    expect(state.message?.split('\n')).toHaveLength(1);
    expect(state.message).toContain(`images.tool`);
    expect(state.message).toContain(`is not in ${registryServer.host}/${behind} by digest`);
    expect(await containerEvents(docker, request.runId, since)).toEqual([]);
    expect(broker.audit.some((entry) => entry.runId === request.runId)).toBe(false);
  });
});
