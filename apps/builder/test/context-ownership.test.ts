/**
 * Who may touch a build context, on a nats-server with the stack's real accounts, users and
 * permissions: only the builder reads or writes the context store. Another principal racing the
 * victim's upload under the victim's digest, and watching the store for it, gets nowhere: the
 * trojan is never stored and the victim's build builds the victim's directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints, objectStores } from '@lading/contracts';
import { RegistryClient, sha256Digest } from '@lading/oci';
import { connectDocker, ensureDockerAvailable } from '@lading/runtime';
import { callEndpoint, openObjectStore, RemoteFailure } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { addPrincipal, prepareStackHome, readPrincipalPasswords, renderNatsAuthorization, stackPaths } from '@lading/stack/internal';
import { freePort, startNatsServer, startRegistry, type RunningProcess, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { uploadBuildContext } from '../../cli/src/upload-context.js';
import { startBuilder } from './builder-process.js';
import { craftArchive } from './craft-archive.js';
import { imagesLabelled, removeImages, seedBaseImage } from './registry-images.js';

const suffix = randomBytes(6).toString('hex');
const victimName = `lading-test-victim-${suffix}`;
const trojanName = `lading-test-trojan-${suffix}`;
const localBaseTag = `lading-test-owner-busybox:${suffix}`;

async function contextOf(registry: string, name: string): Promise<Buffer> {
  const manifest = `schemaVersion: 1.0.0
name: ${name}
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
install:
  - exec: { description: Say who, command: echo, arguments: [${name}] }
`;
  return craftArchive([{ header: { name: 'lading.yaml', mode: 0o644 }, content: Buffer.from(manifest) }]);
}

describe('build context ownership', () => {
  let nats: TestNatsServer;
  let registry: TestRegistry;
  let builder: RunningProcess;
  let dir: string;
  let victim: NatsConnection;
  let attacker: NatsConnection;
  let baseImageId = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lading-test-owner-'));
    const paths = stackPaths(dir);
    const prepared = await prepareStackHome(dir);
    for (const [name, namespace] of [['victim', 'victims'], ['attacker', 'attackers']]) {
      await addPrincipal(dir, name, [namespace], { natsUrl: 'nats://127.0.0.1:1', frontDoor: '127.0.0.1:1' });
    }
    const principals = await readPrincipalPasswords(paths);
    [nats, registry] = await Promise.all([startNatsServer(renderNatsAuthorization({ services: prepared.passwords.services, principals })), startRegistry()]);
    const docker = connectDocker();
    await ensureDockerAvailable(docker);
    baseImageId = (await seedBaseImage(docker, new RegistryClient({ registry: registry.host }), localBaseTag, 'lading/busybox', 'stable')).imageId;
    builder = await startBuilder({
      LADING_NATS_URL: nats.url,
      LADING_NATS_USER: 'builder',
      LADING_NATS_PASSWORD_FILE: paths.passwordFile('builder'),
      LADING_HTTP_PORT: String(await freePort()),
      LADING_STATE_DIR: paths.stateDir('builder'),
      LADING_REGISTRY: registry.host,
      LADING_PRINCIPALS_FILE: paths.principalsFile,
    });
    const person = (name: string) => connectToNats({ natsUrl: nats.url, name, natsUser: name, natsPassword: principals[name] });
    [victim, attacker] = await Promise.all([person('victim'), person('attacker')]);
  });

  afterAll(async () => {
    await Promise.all([victim?.close(), attacker?.close()]);
    await builder?.stop();
    removeImages([...imagesLabelled(`sh.lading.bundle=${victimName}`), ...imagesLabelled(`sh.lading.bundle=${trojanName}`)]);
    if (baseImageId) removeImages([baseImageId]);
    await Promise.all([nats?.stop(), registry?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses another principal the context store: no opening, writing or watching it', async () => {
    await expect(openObjectStore(attacker, objectStores.buildContexts)).rejects.toThrow(/permission/i);
    const watcher = attacker.subscribe(`$O.${objectStores.buildContexts}.>`);
    const closed = watcher.closed;
    expect(String(await closed)).toMatch(/permission/i);
  });

  it('builds the victim’s directory while another principal races trojans under the victim’s digest', async () => {
    const honest = await contextOf(registry.host, victimName);
    const trojan = await contextOf(registry.host, trojanName);
    const digest = sha256Digest(honest);
    const race = Array.from({ length: 8 }, () =>
      callEndpoint(attacker, endpoints.contextUpload, { digest, size: trojan.length, offset: 0, data: trojan.toString('base64') }).then(
        (reply) => reply,
        (error: unknown) => error as RemoteFailure,
      ),
    );
    const victimBuild = uploadBuildContext(victim, honest).then((context) => callEndpoint(victim, endpoints.build, { context }, { timeoutMs: 120_000 }));
    const [built, ...attempts] = await Promise.all([victimBuild, ...race]);
    expect(built.tag).toBe(`${registry.host}/bundles/${victimName}:v0.1.0`);
    for (const attempt of attempts) {
      // Either refused for its bytes, or answered "already stored" once the victim's upload finished: never stored.
      if (attempt instanceof RemoteFailure) expect(attempt.message).toBe(`the uploaded build context is ${sha256Digest(trojan)}, not ${digest} as announced, so nothing was stored`);
      else expect(attempt).toEqual({ upload: '', received: trojan.length, stored: true });
    }
    expect(imagesLabelled(`sh.lading.bundle=${trojanName}`)).toEqual([]);
    const again = await callEndpoint(victim, endpoints.build, { context: digest }, { timeoutMs: 120_000 });
    expect(again.tag).toBe(built.tag);
  });
});
