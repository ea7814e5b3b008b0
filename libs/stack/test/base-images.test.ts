import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseImageReference, baseImages } from '@lading/contracts';
import { MediaTypes, RegistryClient, sha256Digest } from '@lading/oci/internal';
import { freePort } from '@lading/testkit';
import { seedBaseImages, stackPaths, startStack, stopStack } from '../src/internal.js';
import { upstreamUser } from '../src/services.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const fakeService = join(import.meta.dirname, 'fixtures', 'fake-service.ts');
const services = { builder: fakeService, guard: fakeService, broker: fakeService, runner: fakeService };

async function upstreamOf(home: string): Promise<RegistryClient> {
  const stack = JSON.parse(await readFile(stackPaths(home).stackFile, 'utf8')) as { upstream: string };
  const password = (await readFile(stackPaths(home).upstreamPasswordFile, 'utf8')).trim();
  return new RegistryClient({ registry: new URL(stack.upstream).host, insecure: true, credentials: { username: upstreamUser, password } });
}

describe('the base images `lading up` seeds', { shuffle: false }, () => {
  const homes: string[] = [];
  const startHome = async () => {
    const home = await mkdtemp(join(tmpdir(), 'lading-stack-base-'));
    homes.push(home);
    const ports = { nats: await freePort(), upstream: await freePort(), guard: await freePort() };
    await startStack({ home, repoRoot, ports, services });
    return { home, frontDoor: `127.0.0.1:${ports.guard}` };
  };
  let first: { home: string; frontDoor: string };

  beforeAll(async () => {
    first = await startHome();
  });

  afterAll(async () => {
    for (const home of homes) {
      await stopStack({ home }).catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    }
  });

  it('pushes the Debian default and the busybox base into the stack registry, each tagged and pinned by digest', async () => {
    const seeded = await seedBaseImages(first.home);
    expect(seeded.map((base) => base.reference)).toEqual([baseImageReference(first.frontDoor, 'debian'), baseImageReference(first.frontDoor, 'busybox')]);
    const upstream = await upstreamOf(first.home);
    for (const base of seeded) {
      expect(base.note).toBeUndefined();
      const { repository, tag } = baseImages[base.name];
      expect((await upstream.headManifest(repository, tag))?.digest).toBe(base.digest);
    }
    const debian = await upstream.getManifest(baseImages.debian.repository, seeded[0]!.digest);
    expect(JSON.parse(debian.body.toString()).layers).toHaveLength(1);
  });

  it('changes nothing when run again: the same digests, nothing replaced', async () => {
    const before = await seedBaseImages(first.home);
    const again = await seedBaseImages(first.home);
    expect(again).toEqual(before);
  });

  it('makes the same Debian base for another stack, from the cache', async () => {
    const other = await startHome();
    const [debian] = await seedBaseImages(other.home);
    expect(debian!.digest).toBe((await seedBaseImages(first.home))[0]!.digest);
  });

  it('keeps a Debian tag someone set before the seed', async () => {
    const other = await startHome();
    const upstream = await upstreamOf(other.home);
    const { repository, tag } = baseImages.debian;
    const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const configDigest = sha256Digest(config);
    await upstream.uploadBlob(repository, Readable.from([config]), { digest: configDigest, size: config.length });
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: { mediaType: MediaTypes.ociConfig, digest: configDigest, size: config.length }, layers: [] }));
    await upstream.putManifest(repository, tag, MediaTypes.ociManifest, manifest);

    const [debian] = await seedBaseImages(other.home);
    expect(debian!.digest).toBe(sha256Digest(manifest));
    expect((await upstream.headManifest(repository, tag))?.digest).toBe(sha256Digest(manifest));
  });
});
