import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage, OciError, RegistryClient } from '../src/index.js';
import { pushTinyImage } from './support/tiny-image.js';
import { startTokenRegistry, type TokenRegistry } from './support/token-registry.js';

let registry: TokenRegistry;

beforeAll(async () => {
  registry = await startTokenRegistry({ alice: 'alice-secret', reader: 'reader-secret' }, ['reader']);
});

afterAll(async () => {
  await registry?.stop();
});

describe('docker-registry with token authentication', () => {
  it('answers Bearer challenges with tokens for the challenged scope and reuses them per scope', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: { username: 'alice', password: 'alice-secret' } });
    const image = await pushTinyImage(client, 'team/app', 'token');
    expect(await client.headManifest('team/app', image.digest)).toMatchObject({ digest: image.digest });
    await client.putManifest('team/app', 'v1', image.mediaType, image.manifest);
    expect(await client.listTags('team/app')).toEqual(['v1']);

    // The token asked for is the one the registry's challenge names. docker-registry lists the
    // actions of a scope in no fixed order, and whether a mount's challenge also names the source
    // repository varies, so what is checked is that push rights to the target were obtained.
    const copied = await copyImage(client, { fromRepo: 'team/app', digest: image.digest }, 'team/copy');
    expect(copied.digest).toBe(image.digest);
    const pushToCopy = registry.tokenRequests.flat().filter((scope) => {
      const [, repository, actions = ''] = scope.split(':');
      return repository === 'team/copy' && actions.split(',').sort().join(',') === 'pull,push';
    });
    expect(pushToCopy.length).toBeGreaterThan(0);

    const before = registry.tokenRequests.length;
    await client.getManifest('team/app', 'v1');
    await pushTinyImage(client, 'team/app', 'again');
    expect(registry.tokenRequests.length).toBe(before);
  });

  it('names the registry and the refused user when the password is wrong, and nothing is written', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: { username: 'alice', password: 'wrong' } });
    const error = await client.uploadBlob('team/other', Buffer.from('x')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OciError);
    expect(error).toMatchObject({ reason: 'TOKEN_REFUSED', registry: registry.host, repository: 'team/other' });
    expect((error as OciError).message).toContain('user "alice"');
  });

  it('reports a registry denial when the token lacks push rights', async () => {
    // A repository of its own, written by alice, so that the test passes alone and in any order.
    const writer = new RegistryClient({ registry: registry.host, credentials: { username: 'alice', password: 'alice-secret' } });
    const image = await pushTinyImage(writer, 'team/readable', 'read-only');
    await writer.putManifest('team/readable', 'v1', image.mediaType, image.manifest);
    const reader = new RegistryClient({ registry: registry.host, credentials: { username: 'reader', password: 'reader-secret' } });
    expect(await reader.listTags('team/readable')).toEqual(['v1']);
    const error = await reader.uploadBlob('team/readable', Buffer.from('y')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, registry: registry.host, repository: 'team/readable' });
    expect((error as OciError).message).toMatch(/HTTP 401 UNAUTHORIZED/);
  });
});
