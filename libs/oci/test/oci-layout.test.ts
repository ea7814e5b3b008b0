import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { exportOciLayout, importOciLayout, prepareBundleIndex, pullBundle, RegistryClient, sha256Digest } from '../src/internal.js';
import { pushTinyImage } from './support/tiny-image.js';

let origin: TestRegistry;
let destination: TestRegistry;
let dir: string;
let exporting: ReturnType<typeof exportBundle> | undefined;

/** A bundle exported from the origin registry into `dir`. */
async function exportBundle() {
  const source = new RegistryClient({ registry: origin.host });
  const invocation = await pushTinyImage(source, 'demo/app', 'airgap');
  const bundle = { schemaVersion: 'v1.2.0', name: 'app', version: '1.0.0', invocationImages: [{ imageType: 'docker', image: 'x', contentDigest: invocation.digest }] };
  const index = await prepareBundleIndex(source, 'demo/app', bundle, invocation);
  await source.putManifest('demo/app', index.digest, index.mediaType, index.body);
  const root = await exportOciLayout(source, 'demo/app', index.digest, dir);
  return { invocation, bundle, index, root };
}

/** The export, made once by whichever test needs it first: the tests pass alone and in any order. */
function exported(): ReturnType<typeof exportBundle> {
  exporting ??= exportBundle();
  return exporting;
}

/** A copy of the exported layout for one test to damage; removed when the test ends. */
async function layoutCopy(): Promise<string> {
  await exported();
  const copy = await mkdtemp(join(tmpdir(), 'lading-test-layout-tampered-'));
  onTestFinished(() => rm(copy, { recursive: true, force: true }));
  await cp(dir, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  [origin, destination] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await mkdtemp(join(tmpdir(), 'lading-test-layout-'));
});

afterAll(async () => {
  await Promise.all([origin?.stop(), destination?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('OCI image layout (air gap)', () => {
  it('exports a bundle from one registry and publishes it into another with nothing fetched from the first', async () => {
    const { invocation, bundle, index, root } = await exported();
    expect(root).toEqual({ mediaType: index.mediaType, digest: index.digest, size: index.body.length });
    await origin.stop();

    const target = new RegistryClient({ registry: destination.host });
    expect(await importOciLayout(dir, target, 'mirror/app')).toEqual([root]);
    expect(await target.listTags('mirror/app')).toEqual([]);
    const pulled = await pullBundle(target, 'mirror/app', index.digest);
    expect(pulled.bundle).toEqual(bundle);
    expect(pulled.invocationImage.digest).toBe(invocation.digest);
  });

  it('refuses a layout whose blob was tampered with and publishes nothing', async () => {
    const tamperedDir = await layoutCopy();
    const blobs = join(tamperedDir, 'blobs', 'sha256');
    for (const name of await readdir(blobs)) {
      if ((await readFile(join(blobs, name), 'utf8')).startsWith('layer ')) await writeFile(join(blobs, name), 'layer forged');
    }
    const target = new RegistryClient({ registry: destination.host });
    await expect(importOciLayout(tamperedDir, target, 'mirror/tampered')).rejects.toMatchObject({ reason: 'DIGEST_MISMATCH' });
    expect(await target.listTags('mirror/tampered')).toEqual([]);
    const index = JSON.parse(await readFile(join(tamperedDir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(await target.headManifest('mirror/tampered', index.manifests[0].digest)).toBeUndefined();
  });

  it('refuses a layout whose image manifest was altered before any blob is published', async () => {
    const { invocation } = await exported();
    const alteredDir = await layoutCopy();
    // Still valid JSON naming the same blobs, but no longer the content its digest names.
    const manifestFile = join(alteredDir, 'blobs', 'sha256', invocation.digest.slice('sha256:'.length));
    await writeFile(manifestFile, `${await readFile(manifestFile, 'utf8')} `);
    const target = new RegistryClient({ registry: destination.host });
    await expect(importOciLayout(alteredDir, target, 'mirror/altered')).rejects.toMatchObject({
      reason: 'BAD_LAYOUT',
      message: `OCI layout ${alteredDir} is unusable: manifest ${invocation.digest} does not match its digest.`,
    });
    expect(await target.hasBlob('mirror/altered', sha256Digest(invocation.layer))).toBe(false);
    expect(await target.headManifest('mirror/altered', invocation.digest)).toBeUndefined();
  });
});

describe('OCI image layout of a bundle with referenced images', () => {
  let from: TestRegistry;
  let to: TestRegistry;
  let layout: string;

  beforeAll(async () => {
    [from, to] = await Promise.all([startRegistry(), startRegistry()]);
    layout = await mkdtemp(join(tmpdir(), 'lading-test-layout-images-'));
  });

  afterAll(async () => {
    await Promise.all([from?.stop(), to?.stop()]);
    if (layout) await rm(layout, { recursive: true, force: true });
  });

  it('carries every image bundle.json references, and import brings them into the target repository', async () => {
    const source = new RegistryClient({ registry: from.host });
    const invocation = await pushTinyImage(source, 'bundles/app', 'invocation');
    const tool = await pushTinyImage(source, 'bundles/app', 'referenced tool');
    const bundle = {
      schemaVersion: 'v1.2.0',
      name: 'app',
      version: '1.0.0',
      invocationImages: [{ imageType: 'docker', image: `${from.host}/bundles/app@${invocation.digest}`, contentDigest: invocation.digest }],
      images: { tool: { imageType: 'docker', image: `${from.host}/tools/kubectl@${tool.digest}`, contentDigest: tool.digest } },
    };
    const index = await prepareBundleIndex(source, 'bundles/app', bundle, invocation);
    await source.putManifest('bundles/app', index.digest, index.mediaType, index.body);

    const root = await exportOciLayout(source, 'bundles/app', index.digest, layout);
    const listed = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(listed.manifests.map((entry) => entry.digest)).toEqual([index.digest, tool.digest]);
    await from.stop();

    const target = new RegistryClient({ registry: to.host });
    const imported = await importOciLayout(layout, target, 'mirror/app');
    expect(imported.map((entry) => entry.digest)).toEqual([root.digest, tool.digest]);
    expect((await target.headManifest('mirror/app', tool.digest))?.digest).toBe(tool.digest);
    expect((await target.getBlobBuffer('mirror/app', sha256Digest(tool.layer))).equals(tool.layer)).toBe(true);
  });
});
