/**
 * A bundle that prints 1 GiB: the runner streams it on (masked) and keeps only the log's tail,
 * so its memory stays within a fixed bound and a run that exited 0 succeeds. The runner's
 * memory (this process's RSS) is sampled while the output streams.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjects } from '@lading/contracts';
import { RegistryClient } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, removeLeftovers, type ContainerOwner } from '@lading/runtime';
import { connectToNats } from '@lading/service-kit/client';
import { maxStoredLogBytes } from '@lading/store';
import { startNatsServer, startRegistry, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { executeRun, type ExecutionDependencies } from '../src/internal.js';
import { buildAndPublish, manifestHeader, removeBaseImage, removeBundleImages, runRequest, seedBaseImage, startBrokerSide, type BrokerSide } from './fixtures.js';

const suffix = randomBytes(4).toString('hex');
const bundleName = `lading-test-large-${suffix}`;
const localBaseTag = `lading-test-large-busybox:${suffix}`;
const canary = `large-canary-${randomBytes(8).toString('hex')}`;
const gib = 1024 * 1024 * 1024;
/** What the runner may grow by while 1 GiB streams through it: a fixed bound, far below the output. */
const rssBound = 256 * 1024 * 1024;

function manifest(registry: string): string {
  return `${manifestHeader(registry, bundleName)}credentials:
  - { name: api-token, env: API_TOKEN, required: true }
install:
  - exec:
      command: sh
      arguments: ["-c", 'echo "start $API_TOKEN"; yes "lading large output line $API_TOKEN" | head -c ${gib}; echo; echo "end $API_TOKEN"']
`;
}

describe('a run that prints 1 GiB', () => {
  let nats: TestNatsServer;
  let registryServer: TestRegistry;
  let nc: NatsConnection;
  let broker: BrokerSide;
  const owner = (): ContainerOwner => ({ runnerId: broker.parts.runnerId, stackId: `lading-test-stack-${suffix}` });
  let reference: string;
  const docker = connectDocker();

  beforeAll(async () => {
    await ensureDockerAvailable(docker);
    [nats, registryServer] = await Promise.all([startNatsServer(), startRegistry()]);
    nc = await connectToNats({ natsUrl: nats.url, name: 'large-output-test' });
    const registry = new RegistryClient({ registry: registryServer.host });
    await seedBaseImage(docker, registry, localBaseTag);
    reference = (await buildAndPublish(docker, registry, manifest(registryServer.host))).reference;
    broker = await startBrokerSide(nc, registry);
    await broker.store.set('large-token', Buffer.from(canary));
    await broker.credentialSets.apply({ name: 'large-creds', credentials: [{ name: 'api-token', source: { secret: 'large-token' } }] });
  });

  afterAll(async () => {
    // A test that failed while its bundle ran leaves the container and its network: removed by owner.
    if (broker) await removeLeftovers(docker, owner());
    await removeBundleImages(docker, bundleName);
    if (registryServer) await removeBaseImage(docker, localBaseTag, registryServer.host);
    await nc?.close();
    await nats?.stop();
    await registryServer?.stop();
  });

  it('streams it masked, keeps the runner within a fixed memory bound and the log to its tail, and succeeds', { timeout: 900_000 }, async () => {
    let streamed = 0;
    let leaked = false;
    const deps: ExecutionDependencies = {
      docker,
      container: { owner: owner() },
      registry: new RegistryClient({ registry: registryServer.host }),
      records: broker.records,
      ...broker.parts,
      // As the runner does: every event goes out on NATS.
      publishEvent: (event) => {
        if (event.type === 'log') {
          streamed += Buffer.byteLength(event.data);
          leaked ||= event.data.includes(canary);
        }
        nc.publish(subjects.runs.events('admin', event.runId), JSON.stringify(event));
      },
      allowDockerSocket: () => false,
      log: () => undefined,
    };
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = Date.now();
    const request = await broker.admit(runRequest({ installation: 'large', bundleReference: reference, credentialSets: [{ name: 'large-creds', namespace: '' }] }));
    const state = await executeRun(request, deps).finally(() => clearInterval(sampler));
    const seconds = (Date.now() - started) / 1000;
    const growth = peak - baseline;
    console.log(
      `1 GiB output: ${(streamed / gib).toFixed(2)} GiB streamed in ${seconds.toFixed(1)} s; runner RSS ${(baseline / 2 ** 20).toFixed(0)} MiB before, ` +
        `peak ${(peak / 2 ** 20).toFixed(0)} MiB (+${(growth / 2 ** 20).toFixed(0)} MiB)`,
    );

    expect(state.status, state.message).toBe('succeeded');
    // Each line carries the credential, so what streams is 1 GiB with every copy of it masked.
    const line = `lading large output line ${canary}\n`;
    expect(streamed).toBeGreaterThan(((gib * line.replace(canary, '*******').length) / line.length) * 0.99);
    expect(leaked).toBe(false);
    expect(growth).toBeLessThan(rssBound);
    const log = (await broker.records.logs.get(request.runId))?.value;
    expect(log?.truncated).toBe(true);
    expect(Buffer.byteLength(log?.log ?? '')).toBeLessThanOrEqual(maxStoredLogBytes);
    expect(log?.log).toMatch(/end \*{7}\n$/);
    expect(log?.log).not.toContain(canary);
  });
});
