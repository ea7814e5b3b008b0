import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldWrite {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HeldUpstream {
  /** Give this URL to the guard as its upstream. */
  url: string;
  /**
   * Holds the next `PUT /v2/<repository>/manifests/<tag>` (a tag write, never one by digest)
   * without answering it; resolves with the request once it has fully arrived.
   */
  holdNextTagWrite(repository: string, tag: string): Promise<HeldWrite>;
  /** Sends a held write on to the registry, as if it had landed just before its sender died. */
  deliver(write: HeldWrite): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A pass-through HTTP hop in front of the real registry that can stop one manifest write in
 * flight: the test's deterministic point "the guard has reserved the tag and is writing upstream".
 */
export async function startHeldUpstream(registryUrl: string): Promise<HeldUpstream> {
  const target = new URL(registryUrl);
  const agent = new http.Agent({ keepAlive: true });
  let hold: { path: string; resolve: (write: HeldWrite) => void } | undefined;

  const forward = (method: string, path: string, headers: IncomingHttpHeaders) =>
    http.request({ host: target.hostname, port: target.port, method, path, headers, agent });

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (hold && req.method === 'PUT' && path === hold.path) {
      const { resolve } = hold;
      hold = undefined;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve({ method: 'PUT', path, headers: req.headers, body: Buffer.concat(chunks) }));
      return;
    }
    // The Host header travels unchanged, so the registry's Location headers name this hop.
    const upstream = forward(req.method ?? 'GET', path, req.headers);
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    holdNextTagWrite(repository, tag) {
      return new Promise((resolve) => {
        hold = { path: `/v2/${repository}/manifests/${tag}`, resolve };
      });
    },
    deliver(write) {
      return new Promise((resolve, reject) => {
        const { host: _host, connection: _connection, ...headers } = write.headers;
        const request = forward(write.method, write.path, { ...headers, host: target.host });
        request.on('response', (answer) => {
          answer.resume();
          answer.on('end', () => resolve(answer.statusCode ?? 0));
        });
        request.on('error', reject);
        request.end(write.body);
      });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}
