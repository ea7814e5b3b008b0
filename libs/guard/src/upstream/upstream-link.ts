import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Fields that describe one connection, not the message, and never cross a proxy (RFC 9110 §7.6.1). */
export const connectionScopedFields: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** node:http re-frames bodies and sets Host itself, so those fields are dropped too from answers it relays. */
const hopByHop = new Set([...connectionScopedFields, 'transfer-encoding', 'host']);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !hopByHop.has(name)) kept[name] = value;
  }
  return kept;
}

export interface UpstreamLinkOptions {
  upstreamUrl: string;
  publicUrl?: string;
  upstreamAuth?: { username: string; password: string };
}

/** What the link needs to know of a client's request: its headers, and whether it came over TLS. */
export interface ClientRequestView {
  headers: IncomingHttpHeaders;
  socket?: unknown;
}

/** How the guard reaches the upstream registry and how upstream URLs are shown to clients. */
export class UpstreamLink {
  readonly origin: URL;
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private readonly credentials: string | undefined;

  constructor(private readonly options: UpstreamLinkOptions) {
    this.origin = new URL(options.upstreamUrl);
    if (this.origin.protocol !== 'http:') {
      throw new Error(`upstream ${options.upstreamUrl} must be an http:// URL; terminate TLS in front of the registry`);
    }
    const auth = options.upstreamAuth;
    this.credentials = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
  }

  /** True when the guard authenticates upstream itself, so upstream challenges are not the client's business. */
  get holdsCredentials(): boolean {
    return this.credentials !== undefined;
  }

  /**
   * With its own upstream credentials the guard authenticates every request itself; without
   * them the client's Authorization header travels on so upstream challenges reach the client.
   */
  authorizationFor(req: ClientRequestView): string | undefined {
    return this.credentials ?? req.headers.authorization;
  }

  requestOptions(method: string, path: string, headers: OutgoingHttpHeaders, req: ClientRequestView): http.RequestOptions {
    const authorization = this.authorizationFor(req);
    const sent: OutgoingHttpHeaders = { ...headers, host: this.origin.host };
    if (authorization) sent.authorization = authorization;
    else delete sent.authorization;
    return { host: this.origin.hostname, port: this.origin.port || 80, method, path, headers: sent, agent: this.agent };
  }

  publicOrigin(req: ClientRequestView): string {
    const protocol = (req.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http';
    return (this.options.publicUrl ?? `${protocol}://${req.headers.host ?? ''}`).replace(/\/$/, '');
  }

  /** Upload and manifest locations must send the client back to the guard, not around it. */
  rewriteLocation(location: string, req: ClientRequestView): string {
    const resolved = new URL(location, this.origin);
    if (resolved.origin !== this.origin.origin) return location;
    return `${this.publicOrigin(req)}${resolved.pathname}${resolved.search}`;
  }

  responseHeaders(headers: IncomingHttpHeaders, req: ClientRequestView): OutgoingHttpHeaders {
    const sent = endToEnd(headers);
    if (typeof headers.location === 'string') sent.location = this.rewriteLocation(headers.location, req);
    if (this.credentials) delete sent['www-authenticate'];
    return sent;
  }

  close(): void {
    this.agent.destroy();
  }
}
