/**
 * A STAND-IN for HashiCorp Vault, not Vault. No Vault server can be installed here, so the
 * VaultStore is tested against this small local HTTP server, written from Vault's documented
 * HTTP API for what the store uses:
 *   - KV v2: GET/POST/PUT /v1/<mount>/data/<path>, DELETE /v1/<mount>/metadata/<path>,
 *     GET /v1/<mount>/metadata/<path>?list=true (Node's HTTP parser cannot accept the LIST verb)
 *   - AppRole: POST /v1/auth/<mount>/login with { role_id, secret_id }
 *   - X-Vault-Token (403 "permission denied" when missing, unknown or not allowed),
 *     X-Vault-Namespace (data is kept apart per namespace), 404 with an empty error list,
 *     503 "Vault is sealed" while sealed.
 * It knows nothing of leases, policies beyond read/write, versions beyond a counter, or TLS.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VaultStandInOptions {
  /** Tokens and what they may do. */
  tokens?: Record<string, 'read' | 'write'>;
  appRoles?: { roleId: string; secretId: string; mount?: string }[];
  kvMounts?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  namespace: string | undefined;
  token: string | undefined;
}

export interface VaultStandIn {
  url: string;
  requests: RecordedRequest[];
  seal(): void;
  unseal(): void;
  /** Every token issued by an AppRole login stops working, as when its TTL runs out. */
  expireIssuedTokens(): void;
  /** Raw stored data, for assertions: namespace → mount → path → fields. */
  stored(namespace: string, mount: string, path: string): Record<string, string> | undefined;
  stop(): Promise<void>;
}

interface Secret {
  data: Record<string, string>;
  version: number;
  created: string;
}

export async function startVaultStandIn(options: VaultStandInOptions = {}): Promise<VaultStandIn> {
  const tokens = new Map(Object.entries(options.tokens ?? {}));
  const issued = new Set<string>();
  const mounts = new Set(options.kvMounts ?? ['secret']);
  const appRoles = options.appRoles ?? [];
  const data = new Map<string, Secret>();
  const requests: RecordedRequest[] = [];
  let sealed = false;
  const keyOf = (ns: string, mount: string, path: string) => `${ns}\u0000${mount}\u0000${path}`;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, { errors: ['internal error'] }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const namespace = header(req, 'x-vault-namespace');
    const token = header(req, 'x-vault-token');
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, namespace, token });
    const body = await readJson(req);
    if (sealed) return send(res, 503, { errors: ['Vault is sealed'] });
    const ns = (namespace ?? '').replace(/^\/|\/$/g, '');

    const login = /^\/v1\/auth\/([^/]+)\/login$/.exec(url.pathname);
    if (login && method === 'POST') {
      const role = appRoles.find(
        (r) => (r.mount ?? 'approle') === login[1] && r.roleId === body.role_id && r.secretId === body.secret_id,
      );
      if (!role) return send(res, 400, { errors: ['invalid role or secret ID'] });
      const clientToken = `hvs.${randomBytes(12).toString('hex')}`;
      issued.add(clientToken);
      tokens.set(clientToken, 'write');
      return send(res, 200, {
        auth: { client_token: clientToken, accessor: randomBytes(8).toString('hex'), policies: ['default'], lease_duration: 60, renewable: true },
      });
    }

    const kv = /^\/v1\/([^/]+)\/(data|metadata)\/?(.*)$/.exec(url.pathname);
    if (!kv || !mounts.has(kv[1] as string)) return send(res, 404, { errors: [`no handler for route "${url.pathname}"`] });
    const [, mount, kind, path] = kv as unknown as [string, string, string, string];
    const allowed = token ? tokens.get(token) : undefined;
    const isWrite = method !== 'GET';
    if (!allowed || (isWrite && allowed !== 'write')) return send(res, 403, { errors: ['permission denied'] });

    if (kind === 'metadata' && method === 'GET' && ['true', '1'].includes(url.searchParams.get('list') ?? '')) {
      const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
      const keys = new Set<string>();
      for (const key of data.keys()) {
        const [kns, kmount, kpath] = key.split('\u0000') as [string, string, string];
        if (kns !== ns || kmount !== mount || !kpath.startsWith(prefix)) continue;
        const rest = kpath.slice(prefix.length);
        const slash = rest.indexOf('/');
        keys.add(slash < 0 ? rest : rest.slice(0, slash + 1));
      }
      if (keys.size === 0) return send(res, 404, { errors: [] });
      return send(res, 200, { data: { keys: [...keys].sort() } });
    }
    if (kind === 'metadata' && method === 'DELETE') {
      data.delete(keyOf(ns, mount, path));
      return send(res, 204);
    }
    if (kind === 'data' && method === 'GET') {
      const secret = data.get(keyOf(ns, mount, path));
      if (!secret) return send(res, 404, { errors: [] });
      return send(res, 200, {
        request_id: randomBytes(8).toString('hex'),
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data: {
          data: secret.data,
          metadata: { created_time: secret.created, custom_metadata: null, deletion_time: '', destroyed: false, version: secret.version },
        },
        wrap_info: null,
        warnings: null,
        auth: null,
      });
    }
    if (kind === 'data' && (method === 'POST' || method === 'PUT')) {
      if (typeof body.data !== 'object' || body.data === null) return send(res, 400, { errors: ['no data provided'] });
      const previous = data.get(keyOf(ns, mount, path));
      const secret = { data: body.data as Record<string, string>, version: (previous?.version ?? 0) + 1, created: new Date().toISOString() };
      data.set(keyOf(ns, mount, path), secret);
      return send(res, 200, { data: { created_time: secret.created, deletion_time: '', destroyed: false, version: secret.version } });
    }
    return send(res, 405, { errors: ['unsupported operation'] });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    seal: () => {
      sealed = true;
    },
    unseal: () => {
      sealed = false;
    },
    expireIssuedTokens: () => {
      for (const token of issued) tokens.delete(token);
      issued.clear();
    },
    stored: (namespace, mount, path) => data.get(keyOf(namespace, mount, path))?.data,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
