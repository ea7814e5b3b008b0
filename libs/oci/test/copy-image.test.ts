/**
 * copyImage on real docker-registry servers: within a registry that refuses cross-repository
 * mounts (a proxy answering a mount with a plain upload session, as the spec allows) the blobs
 * are streamed instead, and from another registry they are streamed across; either way the
 * image arrives complete, by digest, with no tag written.
 */
import { startMountRefusingProxy, startRegistry, type MountRefusingProxy, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage, RegistryClient, sha256Digest } from '../src/index.js';
import { pushTinyImage } from './support/tiny-image.js';

describe('copyImage', () => {
  let registry: TestRegistry;
  let other: TestRegistry;
  let proxy: MountRefusingProxy;

  beforeAll(async () => {
    [registry, other] = await Promise.all([startRegistry(), startRegistry()]);
    proxy = await startMountRefusingProxy(registry.url);
  });

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([registry?.stop(), other?.stop()]);
  });

  /** Every blob of the copy is readable in the target repository, and the manifest is there by digest only. */
  async function expectComplete(client: RegistryClient, repository: string, image: Awaited<ReturnType<typeof pushTinyImage>>): Promise<void> {
    expect((await client.headManifest(repository, image.digest))?.digest).toBe(image.digest);
    expect((await client.getBlobBuffer(repository, sha256Digest(image.layer))).equals(image.layer)).toBe(true);
    expect(await client.listTags(repository)).toEqual([]);
  }

  it('streams the blobs when the registry answers a mount with an upload session', async () => {
    const client = new RegistryClient({ registry: proxy.host });
    const image = await pushTinyImage(client, 'demo/mount-source', 'refused-mount');
    const copied = await copyImage(client, { fromRepo: 'demo/mount-source', digest: image.digest }, 'demo/mount-target');
    expect(copied.digest).toBe(image.digest);
    expect(proxy.mountRequests()).toBeGreaterThan(0);
    await expectComplete(client, 'demo/mount-target', image);
  });

  it('copies an image from another registry into the target repository by digest', async () => {
    const from = new RegistryClient({ registry: other.host });
    const to = new RegistryClient({ registry: registry.host });
    const image = await pushTinyImage(from, 'tools/extra', 'other-registry');
    const copied = await copyImage(to, { from, fromRepo: 'tools/extra', digest: image.digest }, 'bundles/app');
    expect(copied.digest).toBe(image.digest);
    await expectComplete(to, 'bundles/app', image);
  });
});
