/**
 * The builder contacts only the registries the operator allows. A lading.yaml naming any other
 * host, or an allowed registry redirecting elsewhere or naming a token realm elsewhere, fails the
 * build with one sentence naming the registry and the cause — and a listener on that other host
 * counts no connection at all.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '@lading/contracts';
import { RegistryClient } from '@lading/oci';
import { connectDocker, ensureDockerAvailable } from '@lading/runtime';
import { callEndpoint, RemoteFailure } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import {
  freePort,
  startConnectionCounter,
  startNatsServer,
  startRegistry,
  type ConnectionCounter,
  type RunningProcess,
  type TestNatsServer,
  type TestRegistry,
} from '@lading/testkit';
import { uploadBuildContext } from '../../cli/src/upload-context.js';
import { startBuilder } from './builder-process.js';
import { craftArchive } from './craft-archive.js';
import { imagesLabelled, removeImages, seedBaseImage } from './registry-images.js';
import { startTrapRegistry, type TrapRegistry } from './trap-registry.js';

const suffix = randomBytes(6).toString('hex');
const bundleName = `lading-test-egress-${suffix}`;
/** A bundle no test builds: a failed push elsewhere leaves images of `bundleName` that would hide a build here. */
const unbuiltName = `${bundleName}-unbuilt`;
const localBaseTag = `lading-test-egress-busybox:${suffix}`;

describe('builder egress', () => {
  let nats: TestNatsServer;
  let registry: TestRegistry;
  let elsewhere: ConnectionCounter;
  let redirector: TrapRegistry;
  let realmTrap: TrapRegistry;
  let builder: RunningProcess;
  let nc: NatsConnection;
  let stateDir: string;
  let baseImageId = '';

  const base = () => `${registry.host}/lading/busybox:stable`;

  /** Builds a lading.yaml with the given registry, base image and images, and returns the refusal. */
  async function refusedBuild(fields: { name?: string; registry?: string; baseImage?: string; images?: string }): Promise<RemoteFailure> {
    const manifest = `schemaVersion: 1.0.0
name: ${fields.name ?? bundleName}
version: 0.1.0
registry: ${fields.registry ?? registry.host}/bundles
baseImage: ${fields.baseImage ?? base()}
${fields.images ? `images:\n  tool: { repository: ${fields.images}, tag: v1 }\n` : ''}install:
  - exec: { description: Say hello, command: echo, arguments: [hello] }
`;
    const context = await uploadBuildContext(nc, await craftArchive([{ header: { name: 'lading.yaml', mode: 0o644 }, content: Buffer.from(manifest) }]));
    const error = await callEndpoint(nc, endpoints.build, { context }, { timeoutMs: 120_000 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RemoteFailure);
    expect((error as RemoteFailure).message.split('\n')).toHaveLength(1);
    expect((error as RemoteFailure).message).not.toMatch(/internal error|unexpected end of JSON/i);
    return error as RemoteFailure;
  }

  beforeAll(async () => {
    [nats, registry, elsewhere] = await Promise.all([startNatsServer(), startRegistry(), startConnectionCounter()]);
    [redirector, realmTrap] = await Promise.all([startTrapRegistry('redirect', elsewhere.host), startTrapRegistry('realm', elsewhere.host)]);
    const docker = connectDocker();
    await ensureDockerAvailable(docker);
    baseImageId = (await seedBaseImage(docker, new RegistryClient({ registry: registry.host }), localBaseTag, 'lading/busybox', 'stable')).imageId;
    stateDir = await mkdtemp(join(tmpdir(), 'lading-test-egress-'));
    builder = await startBuilder({
      LADING_NATS_URL: nats.url,
      LADING_HTTP_PORT: String(await freePort()),
      LADING_STATE_DIR: stateDir,
      LADING_REGISTRY: registry.host,
      LADING_ALLOWED_REGISTRIES: `${redirector.host},${realmTrap.host}`,
    });
    nc = await connectToNats({ natsUrl: nats.url, name: 'builder-egress-test' });
  });

  afterAll(async () => {
    await nc?.close();
    await builder?.stop();
    for (const name of [bundleName, unbuiltName]) removeImages(imagesLabelled(`sh.lading.bundle=${name}`));
    if (baseImageId) removeImages([baseImageId]);
    await Promise.all([nats?.stop(), registry?.stop(), elsewhere?.stop(), redirector?.stop(), realmTrap?.stop()]);
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  const allowed = () => `${registry.host}, ${redirector.host}, ${realmTrap.host}`;

  it('refuses a base image on a registry the operator did not allow, without contacting it', async () => {
    const image = `${elsewhere.host}/lading/busybox:stable`;
    const error = await refusedBuild({ baseImage: image });
    expect(error.code).toBe('unresolvable');
    expect(error.message).toBe(`baseImage "${image}" is on registry ${elsewhere.host}, which this stack does not contact: the operator allows ${allowed()}.`);
    expect(elsewhere.connections()).toBe(0);
  });

  it('refuses a referenced image on a registry the operator did not allow', async () => {
    const error = await refusedBuild({ images: `${elsewhere.host}/tools/kubectl` });
    expect(error.message).toBe(`images.tool "${elsewhere.host}/tools/kubectl:v1" is on registry ${elsewhere.host}, which this stack does not contact: the operator allows ${allowed()}.`);
    expect(elsewhere.connections()).toBe(0);
  });

  it('refuses to push to a registry the operator did not allow, before building anything', async () => {
    const error = await refusedBuild({ name: unbuiltName, registry: elsewhere.host });
    expect(error.message).toBe(`registry "${elsewhere.host}/bundles" is on registry ${elsewhere.host}, which this stack does not contact: the operator allows ${allowed()}.`);
    expect(imagesLabelled(`sh.lading.bundle=${unbuiltName}`)).toEqual([]);
    expect(elsewhere.connections()).toBe(0);
  });

  it('follows no redirect from an allowed registry to another port', async () => {
    const image = `${redirector.host}/lading/busybox:stable`;
    const error = await refusedBuild({ baseImage: image });
    expect(error.message).toBe(
      `cannot resolve baseImage "${image}": Resolving manifest lading/busybox:stable in registry ${redirector.host} failed: the registry redirected to ${elsewhere.host}, and Lading follows no redirect to another host.`,
    );
    expect(elsewhere.connections()).toBe(0);
  });

  it('refuses a token realm on a host that is not allowed', async () => {
    const image = `${realmTrap.host}/lading/busybox:stable`;
    const error = await refusedBuild({ baseImage: image });
    expect(error.message).toContain(`Registry ${realmTrap.host} named token realm http://${elsewhere.host}, a host this service may not contact`);
    expect(elsewhere.connections()).toBe(0);
  });

  it('names the registry and the cause when the push of the invocation image fails', async () => {
    const error = await refusedBuild({ registry: realmTrap.host });
    expect(error.code).toBe('build_failed');
    expect(error.message).toMatch(new RegExp(`^the invocation image could not be pushed to ${realmTrap.host}/bundles/${bundleName}: .*Registry ${realmTrap.host} named token realm`));
    expect(elsewhere.connections()).toBe(0);
  });
});
