import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from '@lading/testkit';

export interface TrapRegistry {
  readonly host: string;
  stop(): Promise<void>;
}

/**
 * An allowed "registry" that tries to send its client elsewhere: every request is answered with a
 * redirect to `elsewhere`, or with a Bearer challenge whose token realm is on `elsewhere`.
 */
export async function startTrapRegistry(kind: 'redirect' | 'realm', elsewhere: string): Promise<TrapRegistry> {
  const server: Server = createServer((request, response) => {
    if (kind === 'redirect') {
      response.writeHead(307, { location: `http://${elsewhere}${request.url ?? '/'}` }).end();
    } else {
      response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${elsewhere}/token",service="trap"`, 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    }
  });
  const host = await listenOnLoopback(server);
  return { host, stop: () => new Promise<void>((done) => server.close(() => done())) };
}
