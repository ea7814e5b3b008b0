import { randomBytes } from 'node:crypto';
import net, { createServer } from 'node:net';
import { freePort } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalFromBasicAuth, startFrontDoor } from '../src/internal.js';
import { startGuardStack, users, type GuardStack } from './support/guard-stack.js';
import { basicAuth, rawRequest, sha256 } from './support/oci-http.js';
import { openAccess } from './support/open-access.js';

/** The blob path runs in the data-plane thread; these check it keeps every promise the rule engine makes. */
describe('the front door data plane', () => {
  let stack: GuardStack;
  let guard: string;

  beforeAll(async () => {
    stack = await startGuardStack(1);
    guard = stack.replicas[0]!.url;
  });
  afterAll(async () => stack?.stop());

  it('challenges wrong credentials on upload data and blob reads, and the upload stays empty', async () => {
    const started = await rawRequest(guard, 'POST', '/v2/plane/app/blobs/uploads/');
    expect(started.status).toBe(202);
    const session = new URL(started.headers.location as string);
    const wrong = { authorization: basicAuth('dev', 'not-the-password') };

    const patched = await rawRequest(guard, 'PATCH', `${session.pathname}${session.search}`, { headers: wrong, body: randomBytes(4096) });
    expect(patched.status).toBe(401);
    expect(patched.headers['www-authenticate']).toBe('Basic realm="lading registry guard"');
    expect(JSON.parse(patched.body).errors[0].code).toBe('UNAUTHORIZED');

    const read = await rawRequest(guard, 'GET', `/v2/plane/app/blobs/${sha256(Buffer.from('x'))}`, { headers: wrong });
    expect(read.status).toBe(401);

    const status = await rawRequest(stack.registry.url, 'GET', `${session.pathname}${session.search}`);
    expect(status.status).toBe(204);
    expect(status.headers.range).toBe('0-0');
  });

  it('accepts the right credentials on the same path and points the next Location at the guard', async () => {
    const authorization = basicAuth('dev', users.dev);
    const started = await rawRequest(guard, 'POST', '/v2/plane/app/blobs/uploads/', { headers: { authorization } });
    const session = new URL(started.headers.location as string);
    const bytes = randomBytes(8192);
    const patched = await rawRequest(guard, 'PATCH', `${session.pathname}${session.search}`, { headers: { authorization }, body: bytes });
    expect(patched.status).toBe(202);
    expect(new URL(patched.headers.location as string).origin).toBe(guard);
  });

  it('sends malformed blob paths to the rule engine, which refuses them', async () => {
    const answer = await rawRequest(guard, 'GET', '/v2/plane/app/blobs/sha256:not-a-digest');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).errors[0].code).toBe('DIGEST_INVALID');
    const traversal = await rawRequest(guard, 'PATCH', '/v2/plane/../../etc/blobs/uploads/abc', { body: 'x' });
    expect(traversal.status).toBe(400);
  });

  /** Writes raw bytes to the front door and returns everything it answers until it closes. */
  function exchangeRaw(bytes: Buffer | string): Promise<string> {
    const url = new URL(guard);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => socket.end(bytes));
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  it('answers a TLS handshake on its plain-HTTP port at once, so clients fall back without waiting', async () => {
    const answer = await exchangeRaw(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('do not begin an HTTP/1.1 request');
  });

  it('refuses a request that could be read two ways, and forwards nothing of it', async () => {
    const before = await rawRequest(stack.registry.url, 'GET', '/v2/_catalog');
    const smuggled = 'PUT /v2/plane/smuggle/manifests/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
    const answer = await exchangeRaw(smuggled);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('both Transfer-Encoding and Content-Length');
    expect((await rawRequest(stack.registry.url, 'GET', '/v2/_catalog')).body).toBe(before.body);
  });

  it('answers 431 to a head larger than 64 KiB', async () => {
    const answer = await exchangeRaw(`GET /v2/ HTTP/1.1\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('answers several requests on one kept-alive connection, in order', async () => {
    const ping = 'GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n';
    const last = 'GET /v2/_catalog HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const answer = await exchangeRaw(`${ping}${ping}${last}`);
    expect(answer.match(/HTTP\/1\.1 200 /g)).toHaveLength(3);
    expect(answer).toContain('"repositories"');
  });

  it('answers upload data with an OCI error when the upstream cannot be reached', async () => {
    const frontDoor = await startFrontDoor({
      upstreamUrl: `http://127.0.0.1:${await freePort()}`,
      ledger: stack.replicas[0]!.ledger,
      principalFrom: principalFromBasicAuth(users, 'anonymous'),
      access: openAccess,
      port: 0,
    });
    try {
      const answer = await rawRequest(`http://127.0.0.1:${frontDoor.port}`, 'PATCH', '/v2/plane/app/blobs/uploads/abc', { body: randomBytes(1024) });
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body).errors[0]).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('retry later') });
    } finally {
      await frontDoor.close();
    }
  });

  it('fails to start, naming the cause, when its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expect(
        startFrontDoor({ upstreamUrl: stack.registry.url, ledger: stack.replicas[0]!.ledger, principalFrom: () => 'anonymous', access: openAccess, port }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      taken.close();
    }
  });
});
