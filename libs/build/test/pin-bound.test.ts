/**
 * Pinning many images is bounded and frugal, measured on the wire: a relay in front of a real
 * docker-registry with token authentication counts the HEADs in flight at once and the
 * connections opened, and the token server counts the tokens handed out. Each image is in a
 * repository of its own, so a token per repository would show as one request per image.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '@lading/oci';
import { startRegistryRelay, type RegistryRelay } from '@lading/testkit';
import { pushTinyImage } from '../../oci/test/support/tiny-image.js';
import { startTokenRegistry, type TokenRegistry } from '../../oci/test/support/token-registry.js';
import { BuildRefusedError, resolveConcurrency, resolveDigests } from '../src/internal.js';

const credentials = { username: 'builder', password: 'builder-secret' };
const repositories = Array.from({ length: 100 }, (_, index) => `pins/image-${index}`);
let registry: TokenRegistry;
let relay: RegistryRelay;
let digests: string[];

beforeAll(async () => {
  registry = await startTokenRegistry({ [credentials.username]: credentials.password });
  const writer = new RegistryClient({ registry: registry.host, credentials });
  digests = [];
  for (const repository of repositories) {
    const image = await pushTinyImage(writer, repository, repository);
    await writer.putManifest(repository, 'stable', image.mediaType, image.manifest);
    digests.push(image.digest);
  }
  relay = await startRegistryRelay(`http://${registry.host}`);
});

afterAll(async () => {
  await relay?.stop();
  await registry?.stop();
});

/** A build's first pinning: a client of its own, so no token and no connection is left from another test. */
function pinThroughRelay(concurrency?: number) {
  const client = new RegistryClient({ registry: relay.host, credentials });
  const wanted = repositories.map((repository, index) => ({ text: `${relay.host}/${repository}:stable`, what: `images.i${index}` }));
  return resolveDigests(wanted, () => client, concurrency === undefined ? {} : { concurrency });
}

/** What the relay and the token server saw during `work`. */
async function observed(work: () => Promise<unknown>) {
  const before = { requests: relay.requests(), connections: relay.connections(), tokens: registry.tokenRequests.length };
  await work();
  return {
    requests: relay.requests() - before.requests,
    connections: relay.connections() - before.connections,
    tokenRequests: registry.tokenRequests.slice(before.tokens),
    peak: relay.peakInFlight(),
  };
}

/** The relay's peak is a high-water mark: a test of a bound starts with a relay of its own. */
async function freshRelay(): Promise<void> {
  await relay.stop();
  relay = await startRegistryRelay(`http://${registry.host}`);
}

describe('pinning 100 images, each in its own repository', () => {
  it('never has more than the given number of HEADs in flight, and keeps its connections open', async () => {
    await freshRelay();
    const seen = await observed(async () => {
      const pinned = await pinThroughRelay(4);
      expect(pinned.map((image) => image.digest)).toEqual(digests);
    });
    expect(seen.peak).toBeLessThanOrEqual(4);
    expect(seen.peak).toBeGreaterThan(1);
    // Every image asked for (some twice: once before the token, once with it)…
    expect(seen.requests).toBeGreaterThanOrEqual(repositories.length);
    // …over no more connections than HEADs in flight: none is opened per request.
    expect(seen.connections).toBeLessThanOrEqual(4);
  });

  it('stays within the default bound of 16 when none is given', async () => {
    await freshRelay();
    const seen = await observed(() => pinThroughRelay());
    expect(resolveConcurrency).toBe(16);
    expect(seen.peak).toBeLessThanOrEqual(16);
    expect(seen.connections).toBeLessThanOrEqual(16);
  });

  it('asks the token server once, for a token that covers all 100 repositories', async () => {
    const seen = await observed(() => pinThroughRelay());
    expect(seen.tokenRequests).toHaveLength(1);
    expect(new Set(seen.tokenRequests[0])).toEqual(new Set(repositories.map((repository) => `repository:${repository}:pull`)));
  });

  it('refuses a bound that is not a positive whole number before contacting the registry', async () => {
    for (const concurrency of [0, -1, 2.5, Number.NaN]) {
      const seen = await observed(async () => {
        const error = await pinThroughRelay(concurrency).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(BuildRefusedError);
        expect((error as BuildRefusedError).message).toBe(`the number of images pinned at once must be a positive whole number, not ${concurrency}`);
      });
      expect(seen.requests).toBe(0);
      expect(seen.tokenRequests).toHaveLength(0);
    }
  });
});
