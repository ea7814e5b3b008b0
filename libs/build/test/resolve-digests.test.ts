/**
 * resolveDigests pins many images at once (a bounded number of HEADs in flight) against a real
 * docker-registry: results keep the manifest's order whatever order the answers come in, and a
 * failure is reported for the first failing image in that order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '@lading/oci';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import { pushTinyImage } from '../../oci/test/support/tiny-image.js';
import { BuildRefusedError, resolveDigests } from '../src/internal.js';

let registry: TestRegistry;
let client: RegistryClient;
const digests: string[] = [];

beforeAll(async () => {
  registry = await startRegistry();
  client = new RegistryClient({ registry: registry.host });
  for (const marker of ['even', 'odd']) {
    const image = await pushTinyImage(client, 'many/app', marker);
    digests.push(image.digest);
  }
  // 200 tags alternating between the two images, so that any mix-up of answers shows.
  for (let index = 0; index < 200; index++) {
    const manifest = await client.getManifest('many/app', digests[index % 2] as string);
    await client.putManifest('many/app', `t${index}`, manifest.mediaType, manifest.body);
  }
});

afterAll(async () => {
  await registry?.stop();
});

const registryFor = () => client;
const wanted = (tags: string[]) => tags.map((tag, index) => ({ text: `${registry.host}/many/app:${tag}`, what: `images.i${index}` }));

describe('resolveDigests', () => {
  it('pins 200 references, each to the digest its own tag names, in the order given', async () => {
    const tags = Array.from({ length: 200 }, (_, index) => `t${index}`);
    const pinned = await resolveDigests(wanted(tags), registryFor);
    expect(pinned.map((image) => image.digest)).toEqual(tags.map((_, index) => digests[index % 2]));
    expect(pinned[3]?.reference).toBe(`${registry.host}/many/app@${digests[1]}`);
  });

  it('reports the first missing image in manifest order, however the answers interleave', async () => {
    const tags = Array.from({ length: 60 }, (_, index) => (index === 7 || index === 50 ? `missing-${index}` : `t${index}`));
    const error = await resolveDigests(wanted(tags), registryFor).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BuildRefusedError);
    expect((error as BuildRefusedError).message).toContain('images.i7');
    expect((error as BuildRefusedError).message).toContain('has no such image');
  });

  it('refuses an invalid reference anywhere in the list before contacting any registry', async () => {
    let contacted = 0;
    const counting = () => {
      contacted += 1;
      return client;
    };
    const list = [...wanted(['t0', 't1']), { text: 'not a reference!', what: 'images.bad' }];
    const error = await resolveDigests(list, counting).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect((error as Error).message).toMatch(/^images\.bad "not a reference!" is not a valid image reference: /);
    expect(contacted).toBe(0);
  });
});
