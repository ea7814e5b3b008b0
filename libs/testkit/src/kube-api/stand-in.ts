import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { SelfSignedCertificate } from './certificate.js';
import { coreVersions, groupList, groupVersionOf, kindByPlural, kindOfKey, resourceList, type KindInfo } from './kinds.js';
import { mergePatch } from './merge-patch.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { withServerFields } from './object-defaults.js';
import { failure, type KubeStatus } from './status.js';

type KubeObject = Record<string, unknown> & { metadata: Record<string, unknown>; spec?: Record<string, unknown> };

export interface KubeApiStandInOptions {
  /** When given, every request must carry `Authorization: Bearer <token>`; others get 401. */
  token?: string;
  /** Where to listen; 127.0.0.1 and a free port unless told. */
  host?: string;
  port?: number;
  /** Serve HTTPS with this key and certificate (kubectl sends a bearer token over TLS only). */
  tls?: SelfSignedCertificate;
}

export interface KubeRequestRecord {
  method: string;
  path: string;
  authorized: boolean;
}

export interface KubeApiStandIn {
  /** `https://host:port` (`http://` without tls), for a kubeconfig's `server`. */
  url: string;
  port: number;
  /** The object stored under group/plural/namespace/name (namespace '' for cluster-scoped kinds). */
  object(plural: string, namespace: string, name: string, group?: string): KubeObject | undefined;
  /** Every request answered, in order. */
  requests: KubeRequestRecord[];
  close(): Promise<void>;
}

/** Where a resource path points: a kind, a namespace (undefined: all, or cluster-scoped), maybe a name. */
interface Target {
  info: KindInfo;
  namespace?: string;
  name?: string;
}

/** `/api/v1/...` or `/apis/GROUP/VERSION/...` split into the group version and what follows it. */
function splitApiPath(path: string): { groupVersion: string; rest: string[] } | undefined {
  const parts = path.split('/').filter((part) => part !== '').map(decodeURIComponent);
  if (parts[0] === 'api' && parts[1] !== undefined) return { groupVersion: parts[1], rest: parts.slice(2) };
  if (parts[0] === 'apis' && parts[1] !== undefined && parts[2] !== undefined) return { groupVersion: `${parts[1]}/${parts[2]}`, rest: parts.slice(3) };
  return undefined;
}

function targetOf(groupVersion: string, rest: string[]): Target | undefined {
  // /namespaces/NS/PLURAL[/NAME]: a namespaced kind; /PLURAL[/NAME]: cluster-scoped, or all namespaces.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const info = kindByPlural(groupVersion, rest[2] as string);
    if (info === undefined || !info.namespaced || rest.length > 4) return undefined;
    return { info, namespace: rest[1], name: rest[3] };
  }
  const info = kindByPlural(groupVersion, rest[0] ?? '');
  if (info === undefined || rest.length > 2 || (info.namespaced && rest[1] !== undefined)) return undefined;
  return { info, name: rest[1] };
}

const keyOf = (info: KindInfo, namespace: string, name: string): string => `${info.group}/${info.plural}/${namespace}/${name}`;

/** `metadata.name=X` (or `==`) from a fieldSelector; the only field kubectl selects on for us. */
function selectedName(query: URLSearchParams): string | undefined {
  const selector = query.get('fieldSelector');
  const match = selector === null ? null : /^metadata\.name==?(.+)$/.exec(selector);
  return match?.[1];
}

/** Equality-only label selector: `a=b,c==d`. */
function matchesLabels(object: KubeObject, query: URLSearchParams): boolean {
  const selector = query.get('labelSelector');
  if (selector === null || selector === '') return true;
  const labels = (object.metadata.labels ?? {}) as Record<string, string>;
  return selector.split(',').every((term) => {
    const [key, value] = term.split(/==?/);
    return key !== undefined && labels[key] === value;
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A stand-in for a Kubernetes API server: enough of its REST protocol (discovery, get, list,
 * watch, create, update, merge and strategic-merge patch, delete, Status errors) for a real
 * kubectl to `apply -f`, `delete -f`, `wait` and `get -o jsonpath` on Namespaces, ConfigMaps,
 * Secrets, Services and Deployments. It keeps objects in memory and runs nothing: it is no
 * cluster, only what a client sees of one. It validates no object against a schema.
 */
export async function startKubeApiStandIn(options: KubeApiStandInOptions = {}): Promise<KubeApiStandIn> {
  const objects = new Map<string, KubeObject>();
  const requests: KubeRequestRecord[] = [];
  const watchers = new Set<{ info: KindInfo; namespace?: string; name?: string; response: ServerResponse }>();
  let resourceVersion = 1;
  let created = 0;

  const store = (info: KindInfo, namespace: string, object: KubeObject): void => {
    objects.set(keyOf(info, namespace, String(object.metadata.name)), object);
  };
  const notify = (type: 'ADDED' | 'MODIFIED' | 'DELETED', info: KindInfo, object: KubeObject): void => {
    for (const watcher of watchers) {
      if (watcher.info !== info) continue;
      if (watcher.namespace !== undefined && watcher.namespace !== object.metadata.namespace) continue;
      if (watcher.name !== undefined && watcher.name !== object.metadata.name) continue;
      watcher.response.write(`${JSON.stringify({ type, object })}\n`);
    }
  };
  const namespaceExists = (name: string): boolean => objects.has(keyOf(kindByPlural('v1', 'namespaces') as KindInfo, '', name));
  const stamp = (info: KindInfo, object: KubeObject, previous?: KubeObject): KubeObject => {
    resourceVersion += 1;
    const metadata = {
      ...object.metadata,
      uid: previous?.metadata.uid ?? randomUUID(),
      resourceVersion: String(resourceVersion),
      creationTimestamp: previous?.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      generation: previous === undefined ? 1 : Number(previous.metadata.generation ?? 1) + (JSON.stringify(previous.spec) === JSON.stringify(object.spec) ? 0 : 1),
    };
    if (previous === undefined) created += 1;
    return withServerFields(info, { ...object, apiVersion: groupVersionOf(info), kind: info.kind, metadata }, created, previous);
  };
  for (const name of ['default', 'kube-system', 'kube-public']) {
    const info = kindByPlural('v1', 'namespaces') as KindInfo;
    store(info, '', stamp(info, { metadata: { name } }));
  }

  // A deleted Namespace is Terminating until it holds nothing: gone at once when empty, else when
  // its last object is deleted. The stand-in has no namespace controller: what clients leave in a
  // Terminating namespace stays there, and the namespace with it.
  const namespaces = kindByPlural('v1', 'namespaces') as KindInfo;
  const terminating = new Set<string>();
  const inNamespace = (name: string): string[] => [...objects.keys()].filter((key) => key.split('/')[2] === name);
  const finalize = (name: string): void => {
    const namespaceObject = objects.get(keyOf(namespaces, '', name));
    if (!terminating.has(name) || namespaceObject === undefined) return;
    for (const key of inNamespace(name)) {
      const object = objects.get(key) as KubeObject;
      objects.delete(key);
      const info = kindOfKey(key);
      if (info) notify('DELETED', info, object);
    }
    objects.delete(keyOf(namespaces, '', name));
    terminating.delete(name);
    notify('DELETED', namespaces, namespaceObject);
  };
  const finalizeIfEmpty = (name: string): void => {
    if (terminating.has(name) && inNamespace(name).length === 0) finalize(name);
  };
  const terminate = (namespace: KubeObject): KubeObject => {
    const name = String(namespace.metadata.name);
    if (terminating.has(name)) return namespace;
    terminating.add(name);
    resourceVersion += 1;
    const marked = { ...namespace, metadata: { ...namespace.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), resourceVersion: String(resourceVersion) }, status: { phase: 'Terminating' } };
    store(namespaces, '', marked);
    notify('MODIFIED', namespaces, marked);
    finalizeIfEmpty(name);
    return marked;
  };

  const listOf = (target: Target, query: URLSearchParams): KubeObject[] => {
    const name = selectedName(query);
    return [...objects.entries()]
      .filter(([key]) => key.startsWith(`${target.info.group}/${target.info.plural}/${target.namespace ?? ''}`))
      .map(([, object]) => object)
      .filter((object) => (name === undefined || object.metadata.name === name) && matchesLabels(object, query));
  };

  async function resource(request: IncomingMessage, target: Target, query: URLSearchParams, response: ServerResponse): Promise<unknown | KubeStatus> {
    const { info } = target;
    const namespace = info.namespaced ? (target.namespace ?? '') : '';
    const notFound = (name: string) => failure(404, `${info.plural}${info.group ? `.${info.group}` : ''} "${name}" not found`, { name, group: info.group, kind: info.plural });
    const dryRun = query.get('dryRun') === 'All';
    const method = request.method ?? 'GET';
    if (target.name === undefined) {
      if (method === 'GET' && (query.get('watch') === 'true' || query.get('watch') === '1')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        // The headers now: a client stopping its watch waits for them before it can let go.
        response.flushHeaders();
        const watcher = { info, ...(target.namespace === undefined ? {} : { namespace: target.namespace }), ...(selectedName(query) === undefined ? {} : { name: selectedName(query) as string }), response };
        watchers.add(watcher);
        const timeout = Number(query.get('timeoutSeconds') ?? 0);
        const timer = timeout > 0 ? setTimeout(() => response.end(), timeout * 1000) : undefined;
        response.on('close', () => {
          watchers.delete(watcher);
          if (timer) clearTimeout(timer);
        });
        return response;
      }
      if (method === 'GET') {
        return { kind: `${info.kind}List`, apiVersion: groupVersionOf(info), metadata: { resourceVersion: String(resourceVersion) }, items: listOf(target, query) };
      }
      if (method !== 'POST') return failure(405, `${method} is not allowed on a list of ${info.plural}`);
      const body = JSON.parse(await readBody(request)) as KubeObject;
      const name = String(body.metadata?.name ?? '');
      if (name === '') return failure(400, `${info.kind} "" is invalid: metadata.name: Required value: name is required`);
      if (info.namespaced && !namespaceExists(namespace)) return failure(404, `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
      if (info.namespaced && terminating.has(namespace)) {
        return failure(403, `${info.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, { name, group: info.group, kind: info.plural });
      }
      if (objects.has(keyOf(info, namespace, name))) return failure(409, `${info.plural} "${name}" already exists`, { name, group: info.group, kind: info.plural });
      const object = stamp(info, { ...body, metadata: { ...body.metadata, ...(info.namespaced ? { namespace } : {}) } });
      if (dryRun) return object;
      store(info, namespace, object);
      notify('ADDED', info, object);
      return { created: object };
    }
    const key = keyOf(info, namespace, target.name);
    const existing = objects.get(key);
    if (method === 'GET') return existing ?? notFound(target.name);
    if (existing === undefined) return notFound(target.name);
    if (method === 'DELETE') {
      if (dryRun) return existing;
      if (info.kind === 'Namespace') return terminate(existing);
      objects.delete(key);
      notify('DELETED', info, existing);
      if (info.namespaced) finalizeIfEmpty(namespace);
      return existing;
    }
    if (method !== 'PUT' && method !== 'PATCH') return failure(405, `${method} is not allowed on ${info.plural}`);
    const text = await readBody(request);
    const type = (request.headers['content-type'] ?? '').split(';')[0];
    if (method === 'PATCH' && type !== 'application/merge-patch+json' && type !== 'application/strategic-merge-patch+json') {
      return failure(415, `the stand-in does not take ${type} patches; it takes merge and strategic merge patches`);
    }
    const body = JSON.parse(text) as KubeObject;
    const next = (method === 'PUT' ? body : mergePatch(existing, body)) as KubeObject;
    const object = stamp(info, { ...next, metadata: { ...next.metadata, name: target.name, ...(info.namespaced ? { namespace } : {}) } }, existing);
    if (dryRun) return object;
    store(info, namespace, object);
    notify('MODIFIED', info, object);
    return object;
  }

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<unknown | KubeStatus> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/version') return { major: '1', minor: '32', gitVersion: 'v1.32.0-lading-stand-in', platform: 'linux/amd64' };
    // Plain discovery documents: kubectl asks for aggregated discovery first and reads these when the content type says it got them.
    if (path === '/api') return coreVersions();
    if (path === '/apis') return groupList();
    if (path === '/openapi/v3') return openApiRoot();
    if (path.startsWith('/openapi/v3/')) return openApiGroupVersion(path.slice('/openapi/v3/'.length)) ?? failure(404, `the stand-in serves no ${path}`);
    const split = splitApiPath(path);
    if (split === undefined) return failure(404, `the stand-in serves no ${path}`);
    if (split.rest.length === 0) return resourceList(split.groupVersion) ?? failure(404, `the stand-in serves no group version ${split.groupVersion}`);
    const target = targetOf(split.groupVersion, split.rest);
    if (target === undefined) return failure(404, `the stand-in serves no ${path}`);
    return resource(request, target, url.searchParams, response);
  }

  const listener: RequestListener = (request, response) => {
    const authorized = options.token === undefined || request.headers.authorization === `Bearer ${options.token}`;
    requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', authorized });
    const send = (code: number, body: unknown) => {
      response.writeHead(code, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (!authorized) return send(401, failure(401, 'Unauthorized').body);
    answer(request, response).then(
      (result) => {
        if (result === response) return;
        if (typeof result === 'object' && result !== null && 'code' in result && 'body' in result) return send((result as KubeStatus).code, (result as KubeStatus).body);
        if (typeof result === 'object' && result !== null && 'created' in result) return send(201, (result as { created: unknown }).created);
        send(200, result);
      },
      (error: unknown) => send(400, failure(400, `the request could not be read: ${(error as Error).message}`).body),
    );
  };
  const server: Server = options.tls === undefined ? createServer(listener) : createTlsServer({ key: options.tls.key, cert: options.tls.cert }, listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    requests,
    object: (plural, namespace, name, group = '') => objects.get(`${group}/${plural}/${namespace}/${name}`),
    close: () =>
      new Promise<void>((resolve) => {
        for (const watcher of watchers) watcher.response.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
