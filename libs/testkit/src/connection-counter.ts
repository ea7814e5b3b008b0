import { createServer, type Socket } from 'node:net';

export interface ConnectionCounter {
  /** host:port of the listener, to name in a bundle or lading.yaml. */
  readonly host: string;
  /** Connections accepted so far: a guarantee that nothing contacts this host expects 0. */
  connections(): number;
  stop(): Promise<void>;
}

/** A loopback TCP listener that only counts who connects (and closes each connection at once). */
export function startConnectionCounter(): Promise<ConnectionCounter> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        host: `127.0.0.1:${port}`,
        connections: () => count,
        stop: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
