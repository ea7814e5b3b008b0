import { startRegistry, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage, MediaTypes, parseManifestDocument, pushDockerArchive, RegistryClient, type ManifestHead } from '../src/internal.js';
import { docker, dockerSave, importBusyboxImage, removeImages } from './support/docker.js';

const localImage = `lading-test-oci:${process.pid}`;
const created: string[] = [localImage];
let registry: TestRegistry;
let client: RegistryClient;
let pushing: Promise<ManifestHead> | undefined;

/** The image pushed once, by whichever test needs it first: the tests pass alone and in any order. */
function pushedImage(): Promise<ManifestHead> {
  pushing ??= (async () => {
    const saved = dockerSave(localImage);
    const pushed = await pushDockerArchive(client, 'demo/hello', saved.stream);
    await saved.done;
    return pushed;
  })();
  return pushing;
}

beforeAll(async () => {
  registry = await startRegistry();
  client = new RegistryClient({ registry: registry.host });
  await importBusyboxImage(localImage);
});

afterAll(async () => {
  await removeImages(created);
  await registry?.stop();
});

describe('pushDockerArchive and copyImage with the real Docker engine', () => {
  it('pushes docker save output by digest only, and docker pulls and runs it by digest', async () => {
    const pushed = await pushedImage();
    expect(pushed.mediaType).toBe(MediaTypes.ociManifest);
    expect(pushed.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await client.listTags('demo/hello')).toEqual([]);
    expect(await client.headManifest('demo/hello', pushed.digest)).toEqual(pushed);

    const manifest = parseManifestDocument((await client.getManifest('demo/hello', pushed.digest)).body, 'pushed');
    const imageId = await docker('image', 'inspect', '--format', '{{.Id}}', localImage);
    expect(manifest.config?.digest).toBe(imageId);

    const reference = `${registry.host}/demo/hello@${pushed.digest}`;
    created.push(reference);
    await docker('pull', reference);
    expect(await docker('run', '--rm', reference, '/bin/busybox', 'echo', 'lading-pushed-by-digest')).toBe('lading-pushed-by-digest');
  });

  it('copies the image into another repository by digest, mounting its blobs, without writing a tag', async () => {
    const pushedDigest = (await pushedImage()).digest;
    const copied = await copyImage(client, { fromRepo: 'demo/hello', digest: pushedDigest }, 'demo/copied');
    expect(copied.digest).toBe(pushedDigest);
    expect(await client.listTags('demo/copied')).toEqual([]);

    const reference = `${registry.host}/demo/copied@${pushedDigest}`;
    created.push(reference);
    await docker('pull', reference);
    expect(await docker('run', '--rm', reference, '/bin/busybox', 'echo', 'lading-copied')).toBe('lading-copied');
  });

  it('refuses a stream that is not a docker archive and writes nothing', async () => {
    const { Readable } = await import('node:stream');
    await expect(pushDockerArchive(client, 'demo/garbage', Readable.from([Buffer.from('not a tar archive at all')]))).rejects.toMatchObject({
      reason: 'BAD_ARCHIVE',
    });
    expect(await client.listTags('demo/garbage')).toEqual([]);
  });
});
