import { startRegistry, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CnabAnnotations, copyImage, MediaTypes, OciError, parseManifestDocument, prepareBundleIndex, pullBundle, RegistryClient, sha256Digest } from '../src/internal.js';
import { pushTinyImage } from './support/tiny-image.js';

let registry: TestRegistry;
let client: RegistryClient;

beforeAll(async () => {
  registry = await startRegistry();
  client = new RegistryClient({ registry: registry.host });
});

afterAll(async () => {
  await registry?.stop();
});

function bundleFor(invocationDigest: string) {
  return {
    schemaVersion: 'v1.2.0',
    version: '0.1.0',
    name: 'hello',
    invocationImages: [{ imageType: 'docker', image: `${registry.host}/demo/hello@${invocationDigest}`, contentDigest: invocationDigest }],
    description: 'keys deliberately out of order',
  };
}

describe('CNAB-in-OCI', () => {
  it('prepares the index without a tag, then round-trips through putManifest by tag and pullBundle', async () => {
    const invocation = await pushTinyImage(client, 'demo/hello', 'invocation');
    const bundle = bundleFor(invocation.digest);
    const index = await prepareBundleIndex(client, 'demo/hello', bundle, invocation);
    expect(index.mediaType).toBe(MediaTypes.ociIndex);
    expect(index.digest).toBe(sha256Digest(index.body));
    expect(await client.listTags('demo/hello')).toEqual([]);

    const document = parseManifestDocument(index.body, 'index');
    expect(document.annotations?.[CnabAnnotations.runtimeVersion]).toBe('v1.2.0');
    expect(document.manifests?.map((entry) => entry.annotations?.[CnabAnnotations.manifestType])).toEqual(['config', 'invocation']);
    expect(document.manifests?.[1].digest).toBe(invocation.digest);

    const configManifest = parseManifestDocument((await client.getManifest('demo/hello', index.configManifest.digest)).body, 'config');
    expect(configManifest.config?.mediaType).toBe(MediaTypes.cnabConfig);
    const stored = await client.getBlobBuffer('demo/hello', configManifest.config?.digest ?? '');
    expect(stored.toString()).toBe(
      `{"description":"keys deliberately out of order","invocationImages":[{"contentDigest":"${invocation.digest}","image":"${registry.host}/demo/hello@${invocation.digest}","imageType":"docker"}],"name":"hello","schemaVersion":"v1.2.0","version":"0.1.0"}`,
    );

    expect(await client.putManifest('demo/hello', 'v0.1.0', index.mediaType, index.body)).toBe(index.digest);
    expect(await client.listTags('demo/hello')).toEqual(['v0.1.0']);

    const pulled = await pullBundle(client, 'demo/hello', index.digest);
    expect(pulled.bundle).toEqual(bundle);
    expect(pulled.indexDigest).toBe(index.digest);
    expect(pulled.invocationImage).toMatchObject({ digest: invocation.digest, mediaType: MediaTypes.ociManifest, size: invocation.size });
    expect((await pullBundle(client, 'demo/hello', 'v0.1.0')).indexDigest).toBe(index.digest);
  });

  it('is deterministic: the same bundle and image give the same index digest', async () => {
    const invocation = await pushTinyImage(client, 'demo/same', 'same');
    const first = await prepareBundleIndex(client, 'demo/same', bundleFor(invocation.digest), invocation);
    const second = await prepareBundleIndex(client, 'demo/same', { ...bundleFor(invocation.digest) }, invocation);
    expect(second.digest).toBe(first.digest);
  });

  it('refuses to prepare a bundle whose invocation image is not in the repository', async () => {
    const elsewhere = await pushTinyImage(client, 'demo/elsewhere', 'elsewhere');
    const error = await prepareBundleIndex(client, 'demo/empty', bundleFor(elsewhere.digest), elsewhere).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OciError);
    expect(error).toMatchObject({ reason: 'INVOCATION_IMAGE_MISSING', repository: 'demo/empty' });
    expect(await client.listTags('demo/empty')).toEqual([]);
  });

  it('copies a whole bundle (index, config manifest, invocation image) to another repository', async () => {
    const invocation = await pushTinyImage(client, 'demo/origin', 'origin');
    const index = await prepareBundleIndex(client, 'demo/origin', bundleFor(invocation.digest), invocation);
    await client.putManifest('demo/origin', index.digest, index.mediaType, index.body);
    await copyImage(client, { fromRepo: 'demo/origin', digest: index.digest }, 'demo/relocated');
    expect(await client.listTags('demo/relocated')).toEqual([]);
    const pulled = await pullBundle(client, 'demo/relocated', index.digest);
    expect(pulled.invocationImage.digest).toBe(invocation.digest);
  });

  it('refuses an image that is not a bundle, and a bundle whose index names another invocation image', async () => {
    const plain = await pushTinyImage(client, 'demo/plain', 'plain');
    await expect(pullBundle(client, 'demo/plain', plain.digest)).rejects.toMatchObject({ reason: 'NOT_A_BUNDLE' });

    const real = await pushTinyImage(client, 'demo/liar', 'real');
    const other = await pushTinyImage(client, 'demo/liar', 'other');
    const index = await prepareBundleIndex(client, 'demo/liar', bundleFor(real.digest), other);
    await client.putManifest('demo/liar', index.digest, index.mediaType, index.body);
    await expect(pullBundle(client, 'demo/liar', index.digest)).rejects.toThrow(/names invocation image digest/);
  });
});
