import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalFromBasicAuth, startFrontDoor, type FrontDoorServer, type FrontDoorServerOptions } from '../src/internal.js';
import { startGuardStack, users, type GuardStack } from './support/guard-stack.js';
import { rawRequest } from './support/oci-http.js';
import { openAccess } from './support/open-access.js';

/** A connection that keeps what the front door answers; `closed` settles when the guard closes it. */
function openConnection(port: number): Promise<{ socket: net.Socket; answer: () => string; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closed = new Promise<string>((settle) => socket.on('close', () => settle(answer)));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, answer: () => answer, closed }));
  });
}

/** Resolves once `read()` holds one complete answer to a body-less request (head and its Content-Length body). */
async function completeAnswer(socket: net.Socket, read: () => string): Promise<string> {
  for (;;) {
    const text = read();
    const end = text.indexOf('\r\n\r\n');
    const length = /content-length: (\d+)/i.exec(text);
    if (end >= 0 && length && text.length >= end + 4 + Number(length[1])) return text;
    await new Promise((resolve) => socket.once('data', resolve));
  }
}

describe('the front door keeps deadlines and limits', () => {
  let stack: GuardStack;
  const doors: FrontDoorServer[] = [];

  async function door(limits: Pick<FrontDoorServerOptions, 'headerTimeoutMs' | 'maxConnectionsPerClient'>): Promise<number> {
    const frontDoor = await startFrontDoor({
      upstreamUrl: stack.registry.url,
      ledger: stack.replicas[0]!.ledger,
      principalFrom: principalFromBasicAuth(users, 'anonymous'),
      access: openAccess,
      port: 0,
      ...limits,
    });
    doors.push(frontDoor);
    return frontDoor.port;
  }

  beforeAll(async () => {
    stack = await startGuardStack(1);
  });
  afterAll(async () => {
    for (const frontDoor of doors) await frontDoor.close();
    await stack?.stop();
  });

  it('answers 408 and closes a connection whose head trickles in past the header deadline (slowloris)', async () => {
    const port = await door({ headerTimeoutMs: 200 });
    const slow = await openConnection(port);
    slow.socket.write('GET /v2/ HTTP/1.1\r\nHost: x\r\n');
    const answer = await slow.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('the request head did not arrive within 200 ms');
  });

  it('closes a connection that opens and never sends a head, once the header deadline passes', async () => {
    const port = await door({ headerTimeoutMs: 200 });
    const silent = await openConnection(port);
    expect(await silent.closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('still serves a head sent at once with the default deadline', async () => {
    const port = await door({});
    expect((await rawRequest(`http://127.0.0.1:${port}`, 'GET', '/v2/')).status).toBe(200);
  });

  it('refuses a connection past the per-client cap with 429, and serves the ones within it', async () => {
    const port = await door({ maxConnectionsPerClient: 3 });
    const held = [];
    for (let i = 0; i < 3; i++) {
      const connection = await openConnection(port);
      // A full exchange proves the guard has counted this connection before the next opens.
      connection.socket.write('GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(await completeAnswer(connection.socket, connection.answer)).toMatch(/^HTTP\/1\.1 200 /);
      held.push(connection);
    }
    const extra = await openConnection(port);
    extra.socket.write('GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n');
    const refused = await extra.closed;
    expect(refused).toMatch(/^HTTP\/1\.1 429 /);
    expect(refused).toContain('already has 3 connections open');
    for (const connection of held) connection.socket.destroy();
  });

  it.each([
    ['a blob upload', 'PATCH /v2/limits/app/blobs/uploads/00000000-0000-4000-8000-000000000000'],
    ['a manifest write', 'PUT /v2/limits/app/manifests/v1'],
  ])('refuses a chunked body with a bare-LF chunk line in %s at once, instead of hanging', async (_what, requestLine) => {
    const port = await door({});
    const connection = await openConnection(port);
    // The body's last chunk never comes in CRLF form: a relay waiting for one would hang.
    connection.socket.write(`${requestLine} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n`);
    const answer = await connection.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('bare LF');
  });
});
