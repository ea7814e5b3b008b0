import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDockerSocket } from '../src/index.js';

/**
 * A Docker API socket that relays every request to the real engine, except those `withhold`
 * picks, which it takes and never answers: an engine whose `wait` or event stream stays silent.
 * It shows which of the engine's reports a caller relies on.
 */
export async function startWithholdingEngine(withhold: (path: string) => boolean): Promise<{ socketPath: string; withheld: string[]; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-test-engine-'));
  const socketPath = join(dir, 'docker.sock');
  const withheld: string[] = [];
  const held = new Set<IncomingMessage>();
  const server: Server = createServer((incoming, outgoing) => {
    const path = (incoming.url ?? '/').split('?')[0].replace(/^\/v[\d.]+/, '');
    if (withhold(path)) {
      withheld.push(path);
      held.add(incoming);
      return;
    }
    const upstream = request({ socketPath: defaultDockerSocket, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  // Attach hijacks the connection: relay the upgraded socket both ways.
  server.on('upgrade', (incoming, socket, head) => {
    const upstream = request({ socketPath: defaultDockerSocket, path: incoming.url, method: incoming.method, headers: incoming.headers });
    upstream.on('upgrade', (answer, engineSocket, engineHead) => {
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`, ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`)];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (engineHead.length > 0) socket.write(engineHead);
      if (head.length > 0) engineSocket.write(head);
      engineSocket.pipe(socket);
      socket.pipe(engineSocket);
      socket.on('error', () => engineSocket.destroy());
      engineSocket.on('error', () => socket.destroy());
    });
    upstream.on('error', () => socket.destroy());
    upstream.end();
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    withheld,
    async stop() {
      for (const incoming of held) incoming.socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
