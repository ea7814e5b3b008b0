import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDockerSocket } from '../src/index.js';

/**
 * A Docker API socket that relays every request to the real engine unchanged, except that it
 * answers the inspection of one image reference with another image's inspection: an engine whose
 * reference store points a digest at other content. No such state can be made through Docker's
 * API (digest references are written only by verified pulls and pushes), so this is how a test
 * shows that Lading checks the recorded digests itself rather than trusting a lookup.
 */
export async function startTamperingEngine(reference: string, answerWith: string): Promise<{ socketPath: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-test-engine-'));
  const socketPath = join(dir, 'docker.sock');
  const tampered = `/images/${reference}/json`;
  const server: Server = createServer((incoming, outgoing) => {
    const path = decodeURIComponent((incoming.url ?? '/').split('?')[0]).replace(/^\/v[\d.]+/, '');
    const target = path === tampered ? `/images/${encodeURIComponent(answerWith)}/json` : incoming.url;
    const upstream = request({ socketPath: defaultDockerSocket, path: target, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
