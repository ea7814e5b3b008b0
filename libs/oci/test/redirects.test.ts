/**
 * Redirects a registry answers with: followed within the registry's own origin, refused to any
 * other host or port (and that other port sees no connection).
 */
import { createServer, type Server } from 'node:http';
import { listenOnLoopback, startConnectionCounter, type ConnectionCounter } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciError, RegistryClient } from '../src/index.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('registry redirects', () => {
  let server: Server;
  let host: string;
  let elsewhere: ConnectionCounter;

  beforeAll(async () => {
    elsewhere = await startConnectionCounter();
    server = createServer((request, response) => {
      if (request.url === '/v2/demo/app/manifests/here') response.writeHead(307, { location: '/v2/demo/app/manifests/moved' }).end();
      else if (request.url === '/v2/demo/app/manifests/moved') response.writeHead(200, { 'docker-content-digest': digest, 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': '2' }).end();
      else response.writeHead(307, { location: `http://${elsewhere.host}${request.url}` }).end();
    });
    host = await listenOnLoopback(server);
  });

  afterAll(async () => {
    await new Promise<void>((done) => server?.close(() => done()));
    await elsewhere?.stop();
  });

  it('follows a redirect within the registry’s own origin', async () => {
    expect((await new RegistryClient({ registry: host }).headManifest('demo/app', 'here'))?.digest).toBe(digest);
  });

  it('refuses a redirect to another port, which is never contacted', async () => {
    const error = await new RegistryClient({ registry: host }).headManifest('demo/app', 'away').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OciError);
    expect((error as OciError).reason).toBe('REDIRECT_REFUSED');
    expect((error as OciError).message).toBe(
      `Resolving manifest demo/app:away in registry ${host} failed: the registry redirected to ${elsewhere.host}, and Lading follows no redirect to another host.`,
    );
    expect(elsewhere.connections()).toBe(0);
  });
});
