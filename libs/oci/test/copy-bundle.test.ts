/**
 * `lading copy` on the wire: within one registry every blob is mounted (0 blob bytes sent);
 * between two registries each blob is sent exactly once, and a second copy sends nothing; a tag
 * that holds another bundle is refused before anything is copied.
 */
import { startRegistry, startRegistryRelay, type RegistryRelay, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBundle, OciError, pullBundle, RegistryClient } from '../src/index.js';
import { publishTinyBundle } from './support/tiny-bundle.js';
import { pushTinyImage } from './support/tiny-image.js';

let registryA: TestRegistry;
let registryB: TestRegistry;
let relayA: RegistryRelay;
let relayB: RegistryRelay;
let clientA: RegistryClient;
let clientB: RegistryClient;
let bundleDigest: string;
/** Every blob of the bundle: bundle.json and each image's config and layer. */
let blobs: string[];

beforeAll(async () => {
  [registryA, registryB] = await Promise.all([startRegistry(), startRegistry()]);
  [relayA, relayB] = await Promise.all([startRegistryRelay(registryA.url), startRegistryRelay(registryB.url)]);
  clientA = new RegistryClient({ registry: relayA.host });
  clientB = new RegistryClient({ registry: relayB.host });
  ({ digest: bundleDigest, blobs } = await publishTinyBundle(clientA));
});

afterAll(async () => {
  await Promise.all([relayA?.stop(), relayB?.stop()]);
  await Promise.all([registryA?.stop(), registryB?.stop()]);
});

describe('copying a bundle', () => {
  it('within one registry mounts every blob: 0 blob bytes sent, digest unchanged', async () => {
    const before = relayA.uploadedBlobBytes();
    const mountsBefore = relayA.mountRequests();
    const written = await copyBundle({ from: clientA, fromRepo: 'bundles/app', digest: bundleDigest, to: clientA, toRepo: 'team-a/app', tag: 'v1', force: false });
    expect(written).toEqual({ digest: bundleDigest, reference: `${relayA.host}/team-a/app@${bundleDigest}`, guardOutcome: undefined, signatures: [] });
    expect(relayA.uploadedBlobBytes() - before).toBe(0);
    expect(relayA.mountRequests() - mountsBefore).toBe(blobs.length);
    expect((await pullBundle(clientA, 'team-a/app', 'v1')).indexDigest).toBe(bundleDigest);
  });

  it('between two registries sends each blob exactly once, and nothing the second time', async () => {
    const sent = relayB.uploadedDigests().length;
    const written = await copyBundle({ from: clientA, fromRepo: 'bundles/app', digest: bundleDigest, to: clientB, toRepo: 'mirror/app', tag: 'v1', force: false });
    expect(written.digest).toBe(bundleDigest);
    expect(relayB.uploadedDigests().slice(sent).sort()).toEqual(blobs);
    const bytes = relayB.uploadedBlobBytes();
    await copyBundle({ from: clientA, fromRepo: 'bundles/app', digest: bundleDigest, to: clientB, toRepo: 'mirror/app', tag: 'v1', force: false });
    expect(relayB.uploadedBlobBytes()).toBe(bytes);
    expect((await pullBundle(clientB, 'mirror/app', 'v1')).indexDigest).toBe(bundleDigest);
  });

  it('refuses a destination tag that holds another bundle before copying anything, and replaces it with force', async () => {
    const other = await pushTinyImage(clientB, 'taken/app', 'other');
    await clientB.putManifest('taken/app', 'v1', other.mediaType, other.manifest);
    const bytes = relayB.uploadedBlobBytes();
    const error = await copyBundle({ from: clientA, fromRepo: 'bundles/app', digest: bundleDigest, to: clientB, toRepo: 'taken/app', tag: 'v1', force: false }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OciError);
    expect((error as OciError).message).toBe(`tag ${relayB.host}/taken/app:v1 already holds ${other.digest}; publish with --force to replace it`);
    expect(relayB.uploadedBlobBytes()).toBe(bytes);
    expect(await clientB.headManifest('taken/app', bundleDigest)).toBeUndefined();
    await copyBundle({ from: clientA, fromRepo: 'bundles/app', digest: bundleDigest, to: clientB, toRepo: 'taken/app', tag: 'v1', force: true });
    expect((await clientB.headManifest('taken/app', 'v1'))?.digest).toBe(bundleDigest);
  });
});
