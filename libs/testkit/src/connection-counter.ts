import { createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback-listener.js';

export interface ConnectionCounter {
  /** host:port of the listener, to name in a bundle or lading.yaml. */
  readonly host: string;
  /** Connections accepted so far: a guarantee that nothing contacts this host expects 0. */
  connections(): number;
  stop(): Promise<void>;
}

/** A loopback TCP listener that only counts who connects (and closes each connection at once). */
export async function startConnectionCounter(): Promise<ConnectionCounter> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  const host = await listenOnLoopback(server);
  return {
    host,
    connections: () => count,
    stop: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
