import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { freePort, startRegistry, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage, MediaTypes, OciError, RegistryClient, sha256Digest } from '../src/internal.js';
import { pushTinyImage as pushTinySupport } from './support/tiny-image.js';

let registry: TestRegistry;
let client: RegistryClient;

beforeAll(async () => {
  registry = await startRegistry();
  client = new RegistryClient({ registry: registry.host });
});

afterAll(async () => {
  await registry?.stop();
});

const pushTinyImage = (repository: string, marker: string) => pushTinySupport(client, repository, marker);

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('RegistryClient against docker-registry', () => {
  it('stores a manifest by digest without creating a tag, then tags it and resolves the tag by HEAD', async () => {
    const { digest, manifest } = await pushTinyImage('demo/tiny', 'one');
    expect(await client.listTags('demo/tiny')).toEqual([]);
    expect(await client.headManifest('demo/tiny', 'v1')).toBeUndefined();

    await client.putManifest('demo/tiny', 'v1', MediaTypes.ociManifest, manifest);
    expect(await client.listTags('demo/tiny')).toEqual(['v1']);
    expect(await client.headManifest('demo/tiny', 'v1')).toEqual({ digest, mediaType: MediaTypes.ociManifest, size: manifest.length });
    const fetched = await client.getManifest('demo/tiny', digest);
    expect(fetched).toEqual({ digest, mediaType: MediaTypes.ociManifest, body: manifest });
    expect((await client.getManifest('demo/tiny', 'v1')).digest).toBe(digest);
  });

  it('streams blobs back verified and answers hasBlob', async () => {
    const { layer } = await pushTinyImage('demo/blobs', 'two');
    const digest = sha256Digest(layer);
    expect(await client.hasBlob('demo/blobs', digest)).toBe(true);
    expect(await client.hasBlob('demo/blobs', sha256Digest('nothing'))).toBe(false);
    expect(await readAll(await client.getBlob('demo/blobs', digest, layer.length))).toEqual(layer);
  });

  it('uploads in several PATCH chunks and refuses a stream whose digest is not the promised one', async () => {
    const content = randomBytes(300_000);
    const uploaded = await client.uploadBlob('demo/chunks', Readable.from([content.subarray(0, 70_000), content.subarray(70_000)]), {
      chunkSize: 64 * 1024,
      digest: sha256Digest(content),
      size: content.length,
    });
    expect(uploaded).toEqual({ digest: sha256Digest(content), size: content.length });
    expect(await readAll(await client.getBlob('demo/chunks', uploaded.digest))).toEqual(content);

    const wrong = sha256Digest('something else');
    await expect(client.uploadBlob('demo/chunks', Readable.from([content]), { digest: wrong })).rejects.toMatchObject({ reason: 'DIGEST_MISMATCH' });
    expect(await client.hasBlob('demo/chunks', wrong)).toBe(false);
    await expect(client.uploadBlob('demo/chunks', Buffer.from('abc'), { digest: wrong })).rejects.toMatchObject({ reason: 'DIGEST_MISMATCH' });
  });

  it('uploads a 64 MiB stream without holding it in memory', async () => {
    const chunk = 1024 * 1024;
    const total = 64;
    let produced = 0;
    // Live memory only: collect garbage first, and count Buffers, which live outside the JS heap.
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const inUse = () => {
      collectGarbage();
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.arrayBuffers;
    };
    const before = inUse();
    let peak = before;
    const source = new Readable({
      read() {
        peak = Math.max(peak, inUse());
        if (produced === total) {
          this.push(null);
          return;
        }
        produced++;
        this.push(randomBytes(chunk));
      },
    });
    const uploaded = await client.uploadBlob('demo/large', source);
    peak = Math.max(peak, inUse());
    expect(uploaded.size).toBe(total * chunk);
    expect(await client.hasBlob('demo/large', uploaded.digest)).toBe(true);
    expect(peak - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('mounts a blob from another repository and copies nothing when the blob is already there', async () => {
    const { layer } = await pushTinyImage('demo/source', 'three');
    const digest = sha256Digest(layer);
    expect(await client.hasBlob('demo/target', digest)).toBe(false);
    expect(await client.mountBlob('demo/target', digest, 'demo/source')).toBe(true);
    expect(await client.hasBlob('demo/target', digest)).toBe(true);
    expect(await client.mountBlob('demo/target', sha256Digest('never uploaded'), 'demo/source')).toBe(false);
  });

  it('copies an image index with every image it lists into another repository, by digest and without a tag', async () => {
    const images = [await pushTinyImage('demo/multi', 'amd64'), await pushTinyImage('demo/multi', 'arm64')];
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: images.map(({ digest, size, mediaType }) => ({ mediaType, digest, size })) }),
    );
    const indexDigest = await client.putManifest('demo/multi', sha256Digest(index), MediaTypes.ociIndex, index);
    const copied = await copyImage(client, { fromRepo: 'demo/multi', digest: indexDigest }, 'demo/multi-copy');
    expect(copied).toEqual({ digest: indexDigest, mediaType: MediaTypes.ociIndex, size: index.length });
    for (const image of images) {
      expect((await client.headManifest('demo/multi-copy', image.digest))?.digest).toBe(image.digest);
      expect(await client.hasBlob('demo/multi-copy', sha256Digest(image.layer))).toBe(true);
    }
    expect(await client.listTags('demo/multi-copy')).toEqual([]);
  });

  it('deletes a manifest by digest', async () => {
    const { digest } = await pushTinyImage('demo/deleted', 'four');
    await client.deleteManifest('demo/deleted', digest);
    expect(await client.headManifest('demo/deleted', digest)).toBeUndefined();
  });

  it('reports registry errors as one OciError naming registry, repository and the registry code', async () => {
    const missing = sha256Digest('missing manifest');
    const error = await client.getManifest('demo/tiny', missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OciError);
    expect(error).toMatchObject({ registry: registry.host, repository: 'demo/tiny', status: 404, reason: 'MANIFEST_UNKNOWN' });
    expect((error as OciError).message).toContain(registry.host);
    expect((error as OciError).message).toContain(`demo/tiny@${missing}`);

    const bad = await client
      .putManifest('demo/tiny', 'v9', MediaTypes.ociManifest, Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: missing, size: 1, mediaType: MediaTypes.ociConfig }, layers: [] })))
      .catch((caught: unknown) => caught);
    expect(bad).toMatchObject({ status: 400, reason: 'MANIFEST_BLOB_UNKNOWN' });
    expect(await client.listTags('demo/tiny')).not.toContain('v9');
  });

  it('refuses bad names before sending anything', async () => {
    await expect(client.headManifest('Demo/Tiny', 'v1')).rejects.toMatchObject({ reason: 'BAD_REFERENCE' });
    await expect(client.getManifest('demo/../etc', 'v1')).rejects.toMatchObject({ reason: 'BAD_REFERENCE' });
    await expect(client.getBlob('demo/tiny', 'sha256:abc')).rejects.toMatchObject({ reason: 'BAD_REFERENCE' });
    await expect(client.putManifest('demo/tiny', 'bad tag', MediaTypes.ociManifest, Buffer.from('{}'))).rejects.toMatchObject({ reason: 'BAD_REFERENCE' });
  });

  it('names an unreachable registry', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const nowhere = new RegistryClient({ registry: host });
    await expect(nowhere.headManifest('demo/tiny', 'v1')).rejects.toThrow(`registry ${host} failed: could not reach the registry (ECONNREFUSED)`);
  });
});
