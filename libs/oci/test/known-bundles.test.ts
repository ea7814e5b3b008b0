import { startRegistry, startRegistryRelay, type RegistryRelay, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KnownBundles, prepareBundleIndex, RegistryClient } from '../src/index.js';
import { pushTinyImage } from './support/tiny-image.js';

let registry: TestRegistry;
let relay: RegistryRelay;
let client: RegistryClient;

beforeAll(async () => {
  registry = await startRegistry();
  relay = await startRegistryRelay(`http://${registry.host}`);
  client = new RegistryClient({ registry: relay.host });
});

afterAll(async () => {
  await relay?.stop();
  await registry?.stop();
});

async function publish(repository: string) {
  const invocation = await pushTinyImage(client, repository, repository);
  const bundle = {
    schemaVersion: 'v1.2.0',
    version: '0.1.0',
    name: 'kept',
    invocationImages: [{ imageType: 'docker', image: `${relay.host}/${repository}@${invocation.digest}`, contentDigest: invocation.digest }],
  };
  const index = await prepareBundleIndex(client, repository, bundle, invocation);
  await client.putManifest(repository, 'v1', index.mediaType, index.body);
  return { bundle, index, invocation };
}

it('reads a bundle once by digest, then asks only whether its invocation image is still there', async () => {
  const { bundle, index } = await publish('known/once');
  const known = new KnownBundles(client);
  const before = relay.requests();
  expect((await known.pull('known/once', index.digest)).bundle).toEqual(bundle);
  const firstPull = relay.requests() - before;
  // Control: the first pull reads the index, the config manifest and bundle.json, and asks for the image.
  expect(firstPull).toBeGreaterThanOrEqual(4);
  const again = relay.requests();
  expect((await known.pull('known/once', index.digest)).bundle).toEqual(bundle);
  expect(relay.requests() - again).toBe(1);
});

it('hands out kept documents without asking the registry anything, for callers that decide from bundle.json alone', async () => {
  const { bundle, index } = await publish('known/documents');
  const known = new KnownBundles(client);
  expect((await known.documents('known/documents', index.digest)).bundle).toEqual(bundle);
  const again = relay.requests();
  expect((await known.documents('known/documents', index.digest)).bundle).toEqual(bundle);
  expect(relay.requests() - again).toBe(0);
  // Control: a pull of the same bundle still asks whether its invocation image is there.
  await known.pull('known/documents', index.digest);
  expect(relay.requests() - again).toBe(1);
});

it('refuses a kept bundle once its invocation image is deleted from the repository', async () => {
  const { index, invocation } = await publish('known/deleted');
  const known = new KnownBundles(client);
  await known.pull('known/deleted', index.digest);
  await client.deleteManifest('known/deleted', invocation.digest);
  await expect(known.pull('known/deleted', index.digest)).rejects.toThrow(`its invocation image ${invocation.digest} is missing from the repository`);
});

it('hands every caller its own bundle.json: one run editing it changes nothing for the next', async () => {
  const { bundle, index } = await publish('known/copies');
  const known = new KnownBundles(client);
  const first = await known.pull('known/copies', index.digest);
  (first.bundle as Record<string, unknown>).name = 'edited';
  expect((await known.pull('known/copies', index.digest)).bundle).toEqual(bundle);
});

it('keeps nothing read by tag: a tag can be moved to other content', async () => {
  await publish('known/tagged');
  await expect(new KnownBundles(client).pull('known/tagged', 'v1')).rejects.toThrow('is not a reference by digest');
});

it('keeps a bundle per repository: the same digest in another repository is read there', async () => {
  const { index } = await publish('known/first');
  const known = new KnownBundles(client);
  await known.pull('known/first', index.digest);
  // Nothing of the bundle is in this repository: the kept copy of the first one is not handed out.
  await expect(known.pull('known/elsewhere', index.digest)).rejects.toThrow();
});
