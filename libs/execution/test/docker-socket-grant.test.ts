/**
 * The Docker socket goes to a bundle by its digest, never by its name: a look-alike bundle built
 * with the allowed bundle's name and published in the same repository under another tag runs
 * without it. Real registry, real nats-server for the lease, real Docker.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReference, RegistryClient } from '@lading/oci';
import { connectDocker, dockerSocketGrants, ensureDockerAvailable, removeLeftovers, type ContainerOwner, type PrivilegeGrant } from '@lading/runtime/internal';
import { connectToNats } from '@lading/service-kit/client';
import { startNatsServer, startRegistry, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { executeRun, type ExecutionDependencies } from '../src/internal.js';
import { buildAndPublish, EventLog, removeBaseImage, removeBundleImages, runRequest, seedBaseImage, startBrokerSide } from './fixtures.js';

const suffix = randomBytes(4).toString('hex');
const bundleName = `lading-test-socket-${suffix}`;
const localBaseTag = `lading-test-socket-busybox:${suffix}`;
const owner: ContainerOwner = { runnerId: 'runner-test', stackId: `lading-test-stack-${suffix}` };

/** Same name, same repository; the version (so the tag and the content) is what differs. */
function manifest(registry: string, version: string): string {
  return `schemaVersion: 1.0.0
name: ${bundleName}
version: ${version}
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
install:
  - exec:
      command: sh
      arguments: [-c, 'if [ -S /var/run/docker.sock ]; then echo socket=present; else echo socket=absent; fi']
`;
}

describe('Docker socket grants', () => {
  let nats: TestNatsServer;
  let registryServer: TestRegistry;
  let nc: NatsConnection;
  const docker = connectDocker();

  beforeAll(async () => {
    await ensureDockerAvailable(docker);
    [nats, registryServer] = await Promise.all([startNatsServer(), startRegistry()]);
    nc = await connectToNats({ natsUrl: nats.url, name: 'socket-grant-test' });
  });

  afterAll(async () => {
    await removeLeftovers(docker, owner);
    await removeBundleImages(docker, bundleName);
    if (registryServer) await removeBaseImage(docker, localBaseTag, registryServer.host);
    await nc?.close();
    await nats?.stop();
    await registryServer?.stop();
  });

  it('go to the listed bundle digest and are audited; a look-alike of the same name under another reference gets none', async () => {
    const registry = new RegistryClient({ registry: registryServer.host });
    await seedBaseImage(docker, registry, localBaseTag);
    const allowed = await buildAndPublish(docker, registry, manifest(registryServer.host, '0.1.0'));
    const lookalike = await buildAndPublish(docker, registry, manifest(registryServer.host, '0.2.0'));
    expect(parseReference(lookalike.reference).repository).toBe(parseReference(allowed.reference).repository);
    expect(lookalike.reference).not.toBe(allowed.reference);

    const broker = await startBrokerSide(nc, registry);
    const audit: PrivilegeGrant[] = [];
    const events = new EventLog();
    const deps: ExecutionDependencies = {
      docker,
      registry,
      records: broker.records,
      ...broker.parts,
      publishEvent: events.publish,
      container: { owner: { ...owner, runnerId: broker.parts.runnerId } },
      allowDockerSocket: dockerSocketGrants(new Set([parseReference(allowed.reference).digest!]), (grant) => audit.push(grant)),
      log: () => undefined,
    };
    const logOf = (runId: string) => events.events.flatMap((event) => (event.runId === runId && event.type === 'log' ? [event.data] : [])).join('');

    const copy = await broker.admit(runRequest({ installation: `lookalike-${suffix}`, bundleReference: lookalike.reference }));
    expect(await executeRun(copy, deps)).toMatchObject({ status: 'succeeded' });
    expect(logOf(copy.runId)).toMatch(/^socket=absent$/m);
    expect(audit).toEqual([]);

    const real = await broker.admit(runRequest({ installation: `allowed-${suffix}`, bundleReference: allowed.reference }));
    expect(await executeRun(real, deps)).toMatchObject({ status: 'succeeded' });
    expect(logOf(real.runId)).toMatch(/^socket=present$/m);
    expect(audit).toEqual([{ privilege: 'docker-socket', runId: real.runId, bundleReference: allowed.reference, bundleDigest: parseReference(allowed.reference).digest }]);
  });
});
