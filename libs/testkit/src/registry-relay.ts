import { createServer, request as forward } from 'node:http';
import { listenOnLoopback } from './loopback-listener.js';

export interface RegistryRelay {
  /** host:port to use as the registry. */
  readonly host: string;
  /** Cross-repository mount requests seen. */
  mountRequests(): number;
  /** Bytes of blob content clients sent (bodies of PATCH and PUT on `…/blobs/uploads/…`). */
  uploadedBlobBytes(): number;
  /** The digest of each blob upload that carried content (the `?digest=` it was finished with), in order. */
  uploadedDigests(): string[];
  /** The most requests the relay was answering at one moment: a client's bound, measured on the wire. */
  peakInFlight(): number;
  /** Requests received, and client connections accepted (fewer connections than requests: kept open). */
  requests(): number;
  connections(): number;
  stop(): Promise<void>;
}

/** The relay that refuses mounts, by its older name. */
export type MountRefusingProxy = RegistryRelay;

export interface RegistryRelayOptions {
  /**
   * Refuse cross-repository mounts, as the distribution spec allows: a `POST
   * …/blobs/uploads/?mount=…&from=…` loses its mount parameters, so the registry answers with an
   * ordinary upload session (202) instead of linking the blob (201).
   */
  refuseMounts?: boolean;
}

/**
 * An HTTP relay in front of a real docker-registry that passes everything through and counts
 * what a client sends as blob content: what `lading copy` costs is measured on the wire, not
 * taken from the copier's own word.
 */
export async function startRegistryRelay(upstream: string, options: RegistryRelayOptions = {}): Promise<RegistryRelay> {
  let mounts = 0;
  let uploaded = 0;
  const digests: string[] = [];
  const sessionBytes = new Map<string, number>();
  let inFlight = 0;
  let peak = 0;
  let requests = 0;
  let connections = 0;
  const target = new URL(upstream);
  const server = createServer((incoming, outgoing) => {
    requests += 1;
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    outgoing.once('close', () => (inFlight -= 1));
    const url = new URL(incoming.url ?? '/', 'http://proxy');
    if (incoming.method === 'POST' && url.searchParams.has('mount')) {
      mounts += 1;
      if (options.refuseMounts) {
        url.searchParams.delete('mount');
        url.searchParams.delete('from');
      }
    }
    const isUpload = (incoming.method === 'PATCH' || incoming.method === 'PUT') && url.pathname.includes('/blobs/uploads/');
    if (isUpload) {
      // An upload session is its path: PATCHes carry content, the closing PUT names the digest.
      const session = url.pathname;
      incoming.on('data', (chunk: Buffer) => {
        uploaded += chunk.length;
        sessionBytes.set(session, (sessionBytes.get(session) ?? 0) + chunk.length);
      });
      incoming.on('end', () => {
        const digest = url.searchParams.get('digest');
        if (incoming.method === 'PUT' && digest && (sessionBytes.get(session) ?? 0) > 0) digests.push(digest);
        if (incoming.method === 'PUT') sessionBytes.delete(session);
      });
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
  server.on('connection', () => (connections += 1));
  const host = await listenOnLoopback(server);
  return {
    host,
    mountRequests: () => mounts,
    uploadedBlobBytes: () => uploaded,
    uploadedDigests: () => [...digests],
    peakInFlight: () => peak,
    requests: () => requests,
    connections: () => connections,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A registry that refuses cross-repository mounts (see RegistryRelayOptions.refuseMounts). */
export function startMountRefusingProxy(upstream: string): Promise<RegistryRelay> {
  return startRegistryRelay(upstream, { refuseMounts: true });
}
