/**
 * The builder as it runs in the stack: its own process on a real nats-server, called the way
 * `lading build` calls it (archive uploaded under its digest, then the build endpoint). Hostile
 * archives are refused with one clear error and build nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { Svcm } from '@nats-io/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContextLimits, endpoints, serviceNames } from '@lading/contracts';
import type { ErrorCode } from '@lading/contracts/errors';
import { RegistryClient, sha256Digest } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, packBundleContext } from '@lading/runtime';
import { callEndpoint, RemoteFailure } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { freePort, startNatsServer, startRegistry, type RunningProcess, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { uploadBuildContext } from '../../cli/src/upload-context.js';
import { exitOf, startBuilder } from './builder-process.js';
import { craftArchive, type Entry } from './craft-archive.js';
import { imagesLabelled, removeImages, seedBaseImage } from './registry-images.js';

const suffix = randomBytes(6).toString('hex');
const bundleName = `lading-test-builder-${suffix}`;
const localBaseTag = `lading-test-busybox:${suffix}`;

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

describe('builder service', () => {
  let nats: TestNatsServer;
  let registry: TestRegistry;
  let nc: NatsConnection;
  let httpPort: number;
  let stateDir: string;
  let work: string;
  let baseImageId = '';
  /** Every builder process this suite started, stopped in afterAll whatever a test did to it. */
  const started: RunningProcess[] = [];

  async function startSuiteBuilder(port: number, ownStateDir: string): Promise<RunningProcess> {
    const running = await startBuilder({ LADING_NATS_URL: nats.url, LADING_HTTP_PORT: String(port), LADING_STATE_DIR: ownStateDir, LADING_REGISTRY: registry.host });
    started.push(running);
    return running;
  }

  const upload = (archive: Buffer) => uploadBuildContext(nc, archive);
  const build = (context: string) => callEndpoint(nc, endpoints.build, { context }, { timeoutMs: 120_000 });
  const failureOf = (attempt: Promise<unknown>) =>
    attempt.then(
      () => undefined,
      (caught: unknown) => caught as RemoteFailure,
    );

  /** Calls build with an archive that must be refused; checks the code and that nothing was built. */
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
    await startSuiteBuilder(httpPort, stateDir);

    nc = await connectToNats({ natsUrl: nats.url, name: 'lading-test-builder-client' });
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

  it('builds a bundle directory uploaded the way `lading build` does, named by its digest', async () => {
    const dir = join(work, 'bundle');
    await mkdir(dir);
    await writeFile(join(dir, 'lading.yaml'), manifest(registry.host));
    await writeFile(join(dir, 'notes.txt'), 'travels with the bundle\n');
    const archive = await packBundleContext(dir, { maxBytes: buildContextLimits.maxBytes });
    const digest = await upload(archive);
    expect(digest).toBe(sha256Digest(archive));

    const built = await build(digest);
    expect(built.tag).toBe(`${registry.host}/bundles/${bundleName}:v0.1.0`);
    const [invocation] = built.bundle.invocationImages as { image: string; contentDigest: string }[];
    expect(invocation.image).toMatch(new RegExp(`^${registry.host}/bundles/${bundleName}@sha256:[a-f0-9]{64}$`));
    expect(invocation.contentDigest).toBe(invocation.image.split('@')[1]);
    expect(built.log.some((line) => line.includes('pushed by digest'))).toBe(true);
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

  it('answers not_found for a context that was never uploaded', async () => {
    const digest = sha256Digest(randomBytes(32));
    const error = await failureOf(build(digest));
    expect(error).toBeInstanceOf(RemoteFailure);
    expect(error?.code).toBe('not_found');
    expect(error?.message).toBe(`build context ${digest} is not stored in the builder: upload it again with \`lading build\``);
  });

  const chunk = (digest: string, data: Buffer, fields: { size?: number; offset?: number; upload?: string } = {}) =>
    callEndpoint(nc, endpoints.contextUpload, { digest, size: fields.size ?? data.length, offset: fields.offset ?? 0, upload: fields.upload, data: data.toString('base64') });

  it('stores a context once: a second upload of the same digest is answered at once, with no session', async () => {
    const archive = await craftArchive([lading(), { header: { name: 'once.txt', mode: 0o644 }, content: randomBytes(64) }]);
    const digest = await upload(archive);
    expect(await chunk(digest, archive)).toEqual({ upload: '', received: archive.length, stored: true });
  });

  it('stores nothing under a digest its bytes do not have, so a trojan cannot take a name', async () => {
    const honest = await craftArchive([lading(), { header: { name: 'honest.txt', mode: 0o644 }, content: randomBytes(64) }]);
    const trojan = await craftArchive([lading(), { header: { name: 'trojan.txt', mode: 0o644 }, content: randomBytes(64) }]);
    const digest = sha256Digest(honest);
    const error = await failureOf(chunk(digest, trojan));
    expect(error?.code).toBe('invalid_request');
    expect(error?.message).toBe(`the uploaded build context is ${sha256Digest(trojan)}, not ${digest} as announced, so nothing was stored`);
    expect((await failureOf(build(digest)))?.code).toBe('not_found');
    // The honest upload still goes through: the refused one left nothing behind under the name.
    expect(await upload(honest)).toBe(digest);
  });

  it('refuses a chunk out of order and drops the session', async () => {
    const archive = randomBytes(buildContextLimits.chunkBytes + 10);
    const digest = sha256Digest(archive);
    const first = await chunk(digest, archive.subarray(0, buildContextLimits.chunkBytes), { size: archive.length });
    expect(first.stored).toBe(false);
    const skipped = await failureOf(chunk(digest, archive.subarray(5, 100), { size: archive.length, offset: 5, upload: first.upload }));
    expect(skipped?.message).toBe(`build context chunk at offset 5 arrived where offset ${buildContextLimits.chunkBytes} was due: run \`lading build\` again`);
    const resumed = await failureOf(chunk(digest, archive.subarray(buildContextLimits.chunkBytes), { size: archive.length, offset: buildContextLimits.chunkBytes, upload: first.upload }));
    expect(resumed?.code).toBe('not_found');
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    // A builder of its own: the one the other tests use keeps serving, whatever the order.
    const port = await freePort();
    const stopping = await startSuiteBuilder(port, await mkdtemp(join(work, 'state-')));
    // The service logs "ready" just before it installs its SIGTERM handler, in the same tick: one
    // answer from its health port proves that tick is over.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const exit = exitOf(stopping);
    stopping.child.kill('SIGTERM');
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(stopping.output()).toContain('"message":"stopped"');
  });
});
