import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaTypes, OciError, RegistryClient, sha256Digest } from '../src/internal.js';

// A registry that lies: it serves bytes that do not match the digests asked for. Allowed as a stand-in
// because no real registry can be made to misbehave on purpose.
const honest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
const forged = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","evil":1}');
const honestDigest = sha256Digest(honest);
let server: Server;
let client: RegistryClient;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = request.url ?? '';
    if (url.includes('/blobs/') || url.includes('/manifests/')) {
      response.writeHead(request.method === 'PUT' ? 201 : 200, {
        'content-type': MediaTypes.ociManifest,
        'docker-content-digest': honestDigest,
      });
      response.end(request.method === 'PUT' ? undefined : forged);
      request.resume();
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new RegistryClient({ registry: `127.0.0.1:${(server.address() as AddressInfo).port}` });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('a registry that serves substituted content', () => {
  it('getManifest by digest refuses bytes that hash to something else', async () => {
    const error = await client.getManifest('demo/app', honestDigest).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OciError);
    expect(error).toMatchObject({ reason: 'DIGEST_MISMATCH', repository: 'demo/app' });
    expect((error as OciError).message).toContain(honestDigest);
  });

  it('getManifest by tag refuses bytes that do not match the digest the registry announced', async () => {
    await expect(client.getManifest('demo/app', 'v1')).rejects.toMatchObject({ reason: 'DIGEST_MISMATCH' });
  });

  it('getBlob fails the stream when the bytes do not match the digest', async () => {
    const stream = await client.getBlob('demo/app', honestDigest);
    const read = (async () => {
      for await (const _chunk of stream) {
        // drain
      }
    })();
    await expect(read).rejects.toMatchObject({ reason: 'DIGEST_MISMATCH', repository: 'demo/app' });
    await expect(client.getBlobBuffer('demo/app', honestDigest)).rejects.toBeInstanceOf(OciError);
  });

  it('putManifest refuses a confirmation naming another digest', async () => {
    await expect(client.putManifest('demo/app', 'v1', MediaTypes.ociManifest, forged)).rejects.toMatchObject({ reason: 'DIGEST_MISMATCH' });
  });

  it('headManifest by digest refuses an answer for another digest', async () => {
    await expect(client.headManifest('demo/app', sha256Digest(forged))).rejects.toMatchObject({ reason: 'DIGEST_MISMATCH' });
  });
});
