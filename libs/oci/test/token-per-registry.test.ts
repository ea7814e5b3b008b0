/**
 * Many repositories of one token-authenticated registry, read at once (a build pinning its
 * `images:`): announced with `expectPulls`, they are covered by one token request, and
 * concurrent challenges share the token in flight instead of each fetching one. Real
 * docker-registry with `auth: token`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../src/index.js';
import { pushTinyImage } from './support/tiny-image.js';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.js';

const repositories = Array.from({ length: 40 }, (_, index) => `many/image-${index}`);
let registry: TokenRegistry;
let digests: string[];

beforeAll(async () => {
  registry = await startTokenRegistry({ alice: 'alice-secret' });
  const writer = new RegistryClient({ registry: registry.host, credentials: { username: 'alice', password: 'alice-secret' } });
  digests = [];
  for (const repository of repositories) digests.push((await pushTinyImage(writer, repository, repository)).digest);
});

afterAll(async () => {
  await registry?.stop();
});

const reader = () => new RegistryClient({ registry: registry.host, credentials: { username: 'alice', password: 'alice-secret' } });

describe('one token for the repositories a client announces', () => {
  it('answers 40 concurrent HEADs of 40 announced repositories with one token request', async () => {
    const client = reader();
    client.expectPulls(repositories);
    const before = registry.tokenRequests.length;
    const heads = await Promise.all(repositories.map((repository, index) => client.headManifest(repository, digests[index] as string)));
    expect(heads.map((head) => head?.digest)).toEqual(digests);
    const requests = registry.tokenRequests.slice(before);
    expect(requests).toHaveLength(1);
    expect(new Set(requests[0])).toEqual(new Set(repositories.map((repository) => `repository:${repository}:pull`)));
  });

  it('shares the token in flight between concurrent challenges for one repository, unannounced', async () => {
    const client = reader();
    const before = registry.tokenRequests.length;
    await Promise.all(Array.from({ length: 8 }, () => client.headManifest(repositories[0] as string, digests[0] as string)));
    expect(registry.tokenRequests.length - before).toBe(1);
  });

  it('grants nothing beyond what the token service grants: an announced repository with a wrong password is refused', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: { username: 'alice', password: 'wrong' } });
    client.expectPulls(repositories);
    const results = await Promise.allSettled(repositories.slice(0, 5).map((repository, index) => client.headManifest(repository, digests[index] as string)));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    for (const result of results) expect((result as PromiseRejectedResult).reason).toMatchObject({ reason: 'TOKEN_REFUSED', registry: registry.host });
  });
});
