import { createServer, request as forward } from 'node:http';
import { listenOnLoopback } from './loopback-listener.js';

export interface MountRefusingProxy {
  /** host:port to use as the registry. */
  readonly host: string;
  /** Cross-repository mount requests seen (each answered with a plain upload session). */
  mountRequests(): number;
  stop(): Promise<void>;
}

/**
 * A registry that refuses cross-repository mounts, as the distribution spec allows: an HTTP
 * proxy in front of a real docker-registry that passes everything through, except that a
 * `POST …/blobs/uploads/?mount=…&from=…` loses its mount parameters, so the registry answers
 * with an ordinary upload session (202) instead of linking the blob (201).
 */
export async function startMountRefusingProxy(upstream: string): Promise<MountRefusingProxy> {
  let mounts = 0;
  const target = new URL(upstream);
  const server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', 'http://proxy');
    if (incoming.method === 'POST' && url.searchParams.has('mount')) {
      mounts += 1;
      url.searchParams.delete('mount');
      url.searchParams.delete('from');
    }
    const relay = forward(
      { host: target.hostname, port: target.port, method: incoming.method, path: `${url.pathname}${url.search}`, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    relay.on('error', () => outgoing.destroy());
    incoming.pipe(relay);
  });
  const host = await listenOnLoopback(server);
  return {
    host,
    mountRequests: () => mounts,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
