/**
 * The builder as it runs in the stack: its own process on a real nats-server, called the way
 * `lading build` calls it (archive in the object store, then the build endpoint). Hostile
 * archives are refused with one clear error and build nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from '@nats-io/nats-core';
import type { ObjectStore } from '@nats-io/obj';
import { Svcm } from '@nats-io/services';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints, objectStores, serviceNames, type ErrorCode } from '@lading/contracts';
import { RegistryClient } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, packBundleContext } from '@lading/runtime';
import { callEndpoint, connectToNats, openObjectStore, RemoteFailure } from '@lading/service-kit';
import { freePort, startNatsServer, startProcess, startRegistry, type RunningProcess, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { buildContextLimits } from '../src/build-endpoint.js';
import { exitOf, waitForLog } from './builder-process.js';
import { imagesLabelled, removeImages, seedBaseImage } from './registry-images.js';

const suffix = randomBytes(6).toString('hex');
const bundleName = `lading-test-builder-${suffix}`;
const localBaseTag = `lading-test-busybox:${suffix}`;
const mainFile = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function manifest(registry: string): string {
  return `schemaVersion: 1.0.0
name: ${bundleName}
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
install:
  - exec:
      description: Say hello
      command: echo
      arguments: [hello]
`;
}

interface Entry {
  header: Partial<tar.Header> & { name: string };
  content?: Buffer;
}

/** A tar archive written entry by entry, so tests can put in what `lading build` never would. */
async function craftArchive(entries: readonly Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const { header, content } of entries) {
    if (content === undefined) pack.entry(header);
    else pack.entry(header, content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('builder service', () => {
  let nats: TestNatsServer;
  let registry: TestRegistry;
  let nc: NatsConnection;
  let contexts: ObjectStore;
  let httpPort: number;
  let stateDir: string;
  let work: string;
  let baseImageId = '';
  /** Every builder process this suite started, stopped in afterAll whatever a test did to it. */
  const started: RunningProcess[] = [];

  async function startBuilder(port: number, ownStateDir: string): Promise<RunningProcess> {
    const env: NodeJS.ProcessEnv = { ...process.env, LADING_NATS_URL: nats.url, LADING_HTTP_PORT: String(port), LADING_STATE_DIR: ownStateDir };
    for (const name of ['LADING_NATS_USER', 'LADING_NATS_PASSWORD_FILE', 'LADING_SPANS_FILE']) delete env[name];
    const running = startProcess(process.execPath, ['--import', 'tsx', mainFile], env);
    started.push(running);
    await waitForLog(running, 'ready');
    return running;
  }

  async function upload(archive: Buffer): Promise<string> {
    const name = `context-${randomBytes(12).toString('hex')}`;
    await contexts.putBlob({ name }, archive);
    return name;
  }

  const build = (contextObject: string) => callEndpoint(nc, endpoints.build, { contextObject }, { timeoutMs: 120_000 });

  /** Calls build with an archive that must be refused; checks the code, that nothing was built and the upload is gone. */
  async function refused(archive: Buffer, code: ErrorCode): Promise<string> {
    const before = imagesLabelled(`sh.lading.bundle=${bundleName}`);
    const name = await upload(archive);
    const error = await build(name).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RemoteFailure);
    expect((error as RemoteFailure).code).toBe(code);
    expect((error as RemoteFailure).message.split('\n')).toHaveLength(1);
    expect(imagesLabelled(`sh.lading.bundle=${bundleName}`)).toEqual(before);
    expect(await contexts.getBlob(name)).toBeNull();
    return (error as RemoteFailure).message;
  }

  beforeAll(async () => {
    [nats, registry] = await Promise.all([startNatsServer(), startRegistry()]);
    const docker = connectDocker();
    await ensureDockerAvailable(docker);
    baseImageId = (await seedBaseImage(docker, new RegistryClient({ registry: registry.host }), localBaseTag, 'lading/busybox', 'stable')).imageId;

    httpPort = await freePort();
    stateDir = await mkdtemp(join(tmpdir(), 'lading-test-builder-state-'));
    work = await mkdtemp(join(tmpdir(), 'lading-test-builder-work-'));
    await startBuilder(httpPort, stateDir);

    nc = await connectToNats({ natsUrl: nats.url, name: 'lading-test-builder-client' });
    contexts = await openObjectStore(nc, objectStores.buildContexts, 60 * 60 * 1000);
  });

  afterAll(async () => {
    await nc?.close();
    for (const running of started) await running.stop();
    removeImages(imagesLabelled(`sh.lading.bundle=${bundleName}`));
    if (baseImageId) removeImages([baseImageId]);
    await Promise.all([nats?.stop(), registry?.stop()]);
    for (const dir of [stateDir, work]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers $SRV.PING as the builder service', async () => {
    const pings = await new Svcm(nc).client({ strategy: 'count', maxMessages: 1, maxWait: 10_000 }).ping(serviceNames.builder);
    const names: string[] = [];
    for await (const ping of pings) names.push(ping.name);
    expect(names).toEqual([serviceNames.builder]);
  });

  it('answers /healthz and /readyz with 200', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const answer = await fetch(`http://127.0.0.1:${httpPort}${path}`);
      expect(answer.status, path).toBe(200);
    }
  });

  it('builds a bundle directory uploaded the way `lading build` does, then deletes the upload', async () => {
    const dir = join(work, 'bundle');
    await mkdir(dir);
    await writeFile(join(dir, 'lading.yaml'), manifest(registry.host));
    await writeFile(join(dir, 'notes.txt'), 'travels with the bundle\n');
    const name = await upload(await packBundleContext(dir, { maxBytes: buildContextLimits.maxBytes }));

    const built = await build(name);
    expect(built.tag).toBe(`${registry.host}/bundles/${bundleName}:v0.1.0`);
    const [invocation] = built.bundle.invocationImages as { image: string; contentDigest: string }[];
    expect(invocation.image).toMatch(new RegExp(`^${registry.host}/bundles/${bundleName}@sha256:[a-f0-9]{64}$`));
    expect(invocation.contentDigest).toBe(invocation.image.split('@')[1]);
    expect(built.log.some((line) => line.includes('pushed by digest'))).toBe(true);
    expect(await contexts.getBlob(name)).toBeNull();
    expect(imagesLabelled(`sh.lading.bundle=${bundleName}`).length).toBeGreaterThan(0);
  });

  const lading = (): Entry => ({ header: { name: 'lading.yaml', mode: 0o644 }, content: Buffer.from(manifest(registry.host)) });

  it('refuses an archive entry that climbs out with ..', async () => {
    const archive = await craftArchive([lading(), { header: { name: '../evil', mode: 0o644 }, content: Buffer.from('x') }]);
    expect(await refused(archive, 'invalid_request')).toBe('Bundle archive entry "../evil" contains a ".." segment: rebuild the archive with `lading build`.');
  });

  it('refuses an archive entry with an absolute path', async () => {
    const archive = await craftArchive([lading(), { header: { name: '/etc/evil', mode: 0o644 }, content: Buffer.from('x') }]);
    expect(await refused(archive, 'invalid_request')).toBe('Bundle archive entry "/etc/evil" is an absolute path: rebuild the archive with `lading build`.');
  });

  it('refuses a symlink entry', async () => {
    const archive = await craftArchive([lading(), { header: { name: 'passwd', type: 'symlink', linkname: '/etc/passwd', mode: 0o777 } }]);
    expect(await refused(archive, 'invalid_request')).toMatch(/^Bundle archive entry passwd is a link; only regular files are accepted/);
  });

  it('refuses a context over the size limit', async () => {
    const big = Buffer.alloc(buildContextLimits.maxBytes + 1);
    const archive = await craftArchive([lading(), { header: { name: 'big.bin', mode: 0o644 }, content: big }]);
    expect(await refused(archive, 'invalid_request')).toMatch(/^Bundle archive is larger than the 67108864-byte limit/);
  });

  it('answers not_found for a context that is not in the object store', async () => {
    const error = await build('context-never-uploaded').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RemoteFailure);
    expect((error as RemoteFailure).code).toBe('not_found');
    expect((error as RemoteFailure).message).toBe('build context context-never-uploaded is not in the object store: upload it again');
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    // A builder of its own: the one the other tests use keeps serving, whatever the order.
    const port = await freePort();
    const stopping = await startBuilder(port, await mkdtemp(join(work, 'state-')));
    // The service logs "ready" just before it installs its SIGTERM handler, in the same tick: one
    // answer from its health port proves that tick is over.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const exit = exitOf(stopping);
    stopping.child.kill('SIGTERM');
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(stopping.output()).toContain('"message":"stopped"');
  });
});
