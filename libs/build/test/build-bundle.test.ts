/**
 * buildBundle against a real docker-registry and the real Docker Engine: images pinned by a
 * registry HEAD, the invocation image pushed by digest only and non-root, and every refusal one
 * clear BuildRefusedError that builds nothing.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { validateBundle } from '@lading/cnab';
import { RegistryClient } from '@lading/oci';
import type { BundleFile } from '@lading/runtime';
import { freePort, type TestRegistry } from '@lading/testkit';
import { buildBundle, BuildRefusedError, resolveDigest, type BuildInput } from '../src/internal.js';
import { docker, imagesLabelled, refusedBuild, removeImages, seedBaseImage, startBuildStage, tagInRegistry } from './registry-images.js';

const suffix = randomBytes(6).toString('hex');
const bundleName = `lading-test-${suffix}`;
const localBaseTag = `lading-test-busybox:${suffix}`;
const localVariantTag = `lading-test-busybox-variant:${suffix}`;
const baseRepository = 'lading/busybox';

function manifest(registry: string, baseImage: string): string {
  return `schemaVersion: 1.0.0
name: ${bundleName}
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${baseImage}
images:
  base: { repository: ${registry}/${baseRepository}, tag: stable }
install:
  - exec:
      description: Say hello
      command: echo
      arguments: [hello]
`;
}

const file = (path: string, text: string): BundleFile => ({ path, mode: 0o644, content: Buffer.from(text) });

describe('buildBundle', () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  let engine: Docker;
  let baseImageId = '';
  const log: string[] = [];
  const clients = new Map<string, RegistryClient>();
  const input = (files: BundleFile[]): BuildInput => ({
    files,
    docker: engine,
    registryFor: (host) => clients.get(host) ?? clients.set(host, new RegistryClient({ registry: host })).get(host)!,
    log: (line) => log.push(line),
  });
  const build = (baseImage: string) => buildBundle(input([file('lading.yaml', manifest(registry.host, baseImage)), file('README.md', 'hello\n')]));

  /** Runs a build that must be refused; returns the error after checking nothing was built. */
  const refused = (run: () => Promise<unknown>) => refusedBuild(bundleName, run);

  beforeAll(async () => {
    ({ registry, client, engine, baseImageId } = await startBuildStage(localBaseTag, baseRepository));
  });

  afterAll(async () => {
    removeImages(imagesLabelled(`sh.lading.bundle=${bundleName}`));
    removeImages(imagesLabelled(`sh.lading.test=${suffix}`));
    removeImages([baseImageId, localBaseTag].filter((id) => id !== ''));
    await registry?.stop();
  });

  it('builds a porter.yaml on the default base image, published where --registry says', async () => {
    const porter = `schemaVersion: 1.0.1\nname: ${bundleName}\nversion: 0.2.0\nregistry: ghcr.io/elsewhere\nmixins: [exec]\ninstall:\n  - exec: { command: echo, arguments: [hi] }\n`;
    const built = await buildBundle({
      ...input([file('porter.yaml', porter)]),
      defaultBaseImage: `${registry.host}/${baseRepository}:stable`,
      destination: { registry: `${registry.host}/bundles` },
    });
    expect(built.tag).toBe(`${registry.host}/bundles/${bundleName}:v0.2.0`);
    expect(log).toContain(`baseImage ${registry.host}/${baseRepository}:stable (the default) → ${(built.bundle.custom as Record<string, { baseImage: string }>)['sh.lading'].baseImage}`);
  });

  it('lists every problem of a manifest it refuses, each with its line, and builds nothing', async () => {
    const text = `name: Bad\nversion: one\nregistry: ${registry.host}/bundles\ninstall:\n  - exec: { command: echo, arguments: ["{{ bundle.parameters.nope }}"] }\n`;
    const error = await buildBundle(input([file('lading.yaml', text)])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BuildRefusedError);
    expect((error as BuildRefusedError).message.split('\n')).toEqual([
      expect.stringMatching(/^lading\.yaml:1:7: name must be/),
      expect.stringMatching(/^lading\.yaml:2:10: version must be a semantic version/),
      expect.stringMatching(/^lading\.yaml:5:40: install\[0\]\.exec\.arguments\[0\] refers to parameter "nope"/),
    ]);
  });

  it('builds a valid manifest into a bundle.json that names every image by digest', async () => {
    const { bundle, tag } = await build(`${registry.host}/${baseRepository}:stable`);
    expect(tag).toBe(`${registry.host}/bundles/${bundleName}:v0.1.0`);
    const valid = validateBundle(bundle);
    const images = [...valid.invocationImages, ...Object.values(valid.images ?? {})];
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(image.image).toMatch(/^[^@]+@sha256:[a-f0-9]{64}$/);
      expect(image.contentDigest).toBe(image.image.split('@')[1]);
    }
    expect(valid.invocationImages[0].image.startsWith(`${registry.host}/bundles/${bundleName}@`)).toBe(true);

    const head = await client.headManifest(baseRepository, 'stable');
    const custom = valid.custom?.['sh.lading'] as { baseImage: string; manifestBaseImage: string };
    expect(custom.baseImage).toBe(`${registry.host}/${baseRepository}@${head?.digest}`);
    expect(valid.images?.base.contentDigest).toBe(head?.digest);

    // Pushed by digest only: the bundle's repository has no tag until `lading publish`.
    expect(await client.listTags(`bundles/${bundleName}`)).toEqual([]);
  });

  it('builds an invocation image that runs as 65532 although its base image names no user', async () => {
    expect(docker('image', 'inspect', '--format', '{{.Config.User}}', baseImageId)).toBe('');
    const { bundle } = await build(`${registry.host}/${baseRepository}:stable`);
    const reference = validateBundle(bundle).invocationImages[0].image;
    // Drop the local build so the container runs what the registry serves for the digest.
    removeImages(imagesLabelled(`sh.lading.bundle=${bundleName}`));
    docker('pull', '-q', reference);
    expect(docker('run', '--rm', '--entrypoint', 'id', reference, '-u')).toBe('65532');
  });

  it('asks the registry, not the local cache, what a tag points at', async () => {
    const tagged = `${registry.host}/${baseRepository}:stable`;
    docker('pull', '-q', tagged);
    const cachedId = docker('image', 'inspect', '--format', '{{.Id}}', tagged);
    const before = (await client.headManifest(baseRepository, 'stable'))?.digest;

    execFileSync('docker', ['build', '-q', '--label', `sh.lading.test=${suffix}`, '-t', localVariantTag, '-'], {
      input: `FROM ${localBaseTag}\nLABEL sh.lading.test.variant=${suffix}\n`,
    });
    const seedDigest = (await seedBaseImage(engine, client, localVariantTag, baseRepository, 'moved')).digest;
    await tagInRegistry(client, baseRepository, 'stable', seedDigest);
    expect(seedDigest).not.toBe(before);

    const { bundle } = await build(tagged);
    const custom = validateBundle(bundle).custom?.['sh.lading'] as { baseImage: string };
    expect(custom.baseImage).toBe(`${registry.host}/${baseRepository}@${seedDigest}`);
    // The local tag still names the stale image: the build did not consult it.
    expect(docker('image', 'inspect', '--format', '{{.Id}}', tagged)).toBe(cachedId);
    await tagInRegistry(client, baseRepository, 'stable', before!);
  });

  it('refuses a base image digest the registry does not hold', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    const refusal = await refused(() => build(`${registry.host}/${baseRepository}@${missing}`));
    expect(refusal.code).toBe('unresolvable');
    expect(refusal.message).toBe(`cannot resolve baseImage "${registry.host}/${baseRepository}@${missing}": registry ${registry.host} has no such image; push it there or correct baseImage in the manifest`);
  });

  it('refuses a base image tag the registry does not know', async () => {
    const refusal = await refused(() => build(`${registry.host}/${baseRepository}:no-such-tag`));
    expect(refusal.code).toBe('unresolvable');
    expect(refusal.message).toMatch(/^cannot resolve baseImage ".*:no-such-tag": registry .* has no such image; push it there or correct baseImage in the manifest$/);
  });

  it('refuses a base image on a registry nothing listens on', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const refusal = await refused(() => build(`${host}/${baseRepository}:stable`));
    expect(refusal.code).toBe('unresolvable');
    expect(refusal.message).toContain(`cannot resolve baseImage "${host}/${baseRepository}:stable"`);
    expect(refusal.message).toContain('could not reach the registry');
  });

  it('refuses a base image reference without a registry host', async () => {
    const refusal = await refused(() => build(`${baseRepository}:stable`));
    expect(refusal.code).toBe('invalid_request');
    // The reference grammar reads `lading/busybox` as a path on no registry: the manifest refuses it where it is written.
    expect(refusal.message).toMatch(/^lading\.yaml:5:\d+: baseImage must be an image reference .* such as registry\.example\.com\/base:1\.0/);
  });

  it('refuses a malformed lading.yaml with its file, line and column', async () => {
    const text = manifest(registry.host, `${registry.host}/${baseRepository}:stable`).replace('version: 0.1.0', 'version: [not, a, version]');
    const refusal = await refused(() => buildBundle(input([file('lading.yaml', text)])));
    expect(refusal.code).toBe('invalid_request');
    expect(refusal.message).toMatch(/^lading\.yaml:3:\d+: version/);
  });

  it('refuses a bundle directory without lading.yaml', async () => {
    const refusal = await refused(() => buildBundle(input([file('README.md', 'no manifest here\n')])));
    expect(refusal.code).toBe('invalid_request');
    expect(refusal.message).toBe('the bundle directory has neither lading.yaml nor porter.yaml: create one with `lading create`');
  });

  it('resolveDigest keeps a digest reference the registry holds', async () => {
    const head = await client.headManifest(baseRepository, 'stable');
    const pinned = await resolveDigest(`${registry.host}/${baseRepository}@${head?.digest}`, 'baseImage', input([]).registryFor);
    expect(pinned).toEqual({ reference: `${registry.host}/${baseRepository}@${head?.digest}`, digest: head?.digest, mediaType: head?.mediaType, size: head?.size });
  });
});
