import { isDigest, isRepositoryName, isTag, isUploadSession } from './oci-names.js';

/**
 * What a path of the OCI Distribution API names: the repository and, where the path has one,
 * the reference (a tag or digest for a manifest, a digest for a blob or referrers, a session for
 * an upload), each already checked against the OCI grammars.
 */
export type OciRoute =
  | { kind: 'ping' }
  | { kind: 'catalog' }
  | { kind: 'manifest'; repository: string; reference: string; byDigest: boolean }
  | { kind: 'blob'; repository: string; reference: string }
  | { kind: 'uploads'; repository: string }
  | { kind: 'upload'; repository: string; reference: string }
  | { kind: 'tags'; repository: string }
  | { kind: 'referrers'; repository: string; reference: string }
  | { kind: 'invalid'; code: 'NAME_INVALID' | 'TAG_INVALID' | 'DIGEST_INVALID' | 'BLOB_UPLOAD_INVALID'; message: string }
  | { kind: 'unknown' };

/**
 * What a request does to the registry. The relay, admission and the rule engine all decide from
 * this one classification, so which requests bypass the ledger, who may send them and how the
 * rule engine serves them cannot disagree.
 */
export type OciAction =
  /** GET or HEAD of a manifest, blob, tag list, referrers, the catalog or the ping. */
  | 'read'
  /** A step of a blob upload (start or mount, status, chunk, finish): content-addressed. */
  | 'upload'
  /** DELETE of an upload session: abandons bytes not yet in any blob. */
  | 'cancel-upload'
  /** PUT of a manifest by its digest: content-addressed, names no tag. */
  | 'push-by-digest'
  /** PUT of a manifest by tag: a tag change, decided by the ledger. */
  | 'write-tag'
  /** DELETE of a manifest by tag: a tag change, decided by the ledger. */
  | 'delete-tag'
  /** DELETE of a manifest by digest or of a blob: removes content every tag on it relies on. */
  | 'delete-content'
  /** A method this route does not take, or a path that is not a valid OCI route. */
  | 'unsupported';

export interface OciRequest {
  route: OciRoute;
  action: OciAction;
}

type Shape = (repository: string, part: string) => OciRoute;

const shapes: Array<[RegExp, Shape]> = [
  [/^(.+)\/manifests\/([^/]+)$/, (repository, reference) => ({ kind: 'manifest', repository, reference, byDigest: reference.startsWith('sha256:') })],
  [/^(.+)\/blobs\/uploads\/?()$/, (repository) => ({ kind: 'uploads', repository })],
  [/^(.+)\/blobs\/uploads\/([^/]+)$/, (repository, reference) => ({ kind: 'upload', repository, reference })],
  [/^(.+)\/blobs\/([^/]+)$/, (repository, reference) => ({ kind: 'blob', repository, reference })],
  [/^(.+)\/tags\/list()$/, (repository) => ({ kind: 'tags', repository })],
  [/^(.+)\/referrers\/([^/]+)$/, (repository, reference) => ({ kind: 'referrers', repository, reference })],
];

const reads = new Set(['GET', 'HEAD']);
const uploadSessionMethods = new Set(['GET', 'PATCH', 'PUT']);

/** The route as OpenTelemetry's `http.route` names it: a template, never the repository or reference asked for. */
export function routeTemplate(route: OciRoute): string {
  switch (route.kind) {
    case 'ping':
      return '/v2/';
    case 'catalog':
      return '/v2/_catalog';
    case 'manifest':
      return '/v2/{name}/manifests/{reference}';
    case 'blob':
      return '/v2/{name}/blobs/{digest}';
    case 'uploads':
      return '/v2/{name}/blobs/uploads/';
    case 'upload':
      return '/v2/{name}/blobs/uploads/{session}';
    case 'tags':
      return '/v2/{name}/tags/list';
    case 'referrers':
      return '/v2/{name}/referrers/{digest}';
    default:
      return 'unknown';
  }
}

/**
 * Classifies a raw (undecoded) request target of the OCI Distribution API. A cross-repository
 * mount's source (`…/blobs/uploads/?mount=…&from=…`) is checked like any repository name.
 */
export function parseOciRoute(rawTarget: string): OciRoute {
  const cut = rawTarget.indexOf('?');
  const path = cut < 0 ? rawTarget : rawTarget.slice(0, cut);
  const query = cut < 0 ? '' : rawTarget.slice(cut + 1);
  if (path === '/v2' || path === '/v2/') return { kind: 'ping' };
  if (!path.startsWith('/v2/')) return { kind: 'unknown' };
  const rest = path.slice('/v2/'.length);
  if (rest === '_catalog') return { kind: 'catalog' };
  for (const [pattern, build] of shapes) {
    const match = pattern.exec(rest);
    if (match) return validate(build(match[1] ?? '', match[2] ?? ''), query);
  }
  return { kind: 'invalid', code: 'NAME_INVALID', message: `"${rest}" is not an OCI Distribution API path; check the repository name` };
}

/** Classifies a request: the route its target names and what its method does there. */
export function classifyRequest(method: string, rawTarget: string): OciRequest {
  const route = parseOciRoute(rawTarget);
  return { route, action: actionOf(method, route) };
}

function actionOf(method: string, route: OciRoute): OciAction {
  switch (route.kind) {
    case 'ping':
    case 'catalog':
    case 'tags':
    case 'referrers':
      return reads.has(method) ? 'read' : 'unsupported';
    case 'manifest':
      if (reads.has(method)) return 'read';
      if (method === 'PUT') return route.byDigest ? 'push-by-digest' : 'write-tag';
      if (method === 'DELETE') return route.byDigest ? 'delete-content' : 'delete-tag';
      return 'unsupported';
    case 'blob':
      if (reads.has(method)) return 'read';
      return method === 'DELETE' ? 'delete-content' : 'unsupported';
    case 'uploads':
      return method === 'POST' ? 'upload' : 'unsupported';
    case 'upload':
      if (uploadSessionMethods.has(method)) return 'upload';
      return method === 'DELETE' ? 'cancel-upload' : 'unsupported';
    default:
      return 'unsupported';
  }
}

function validate(route: OciRoute, query: string): OciRoute {
  if (!('repository' in route)) return route;
  if (!isRepositoryName(route.repository)) return invalidName('repository name', route.repository);
  if (route.kind === 'manifest' && !(route.byDigest ? isDigest(route.reference) : isTag(route.reference))) {
    return route.byDigest
      ? { kind: 'invalid', code: 'DIGEST_INVALID', message: `"${route.reference}" is not a sha256 digest` }
      : { kind: 'invalid', code: 'TAG_INVALID', message: `tag "${route.reference}" is invalid; use up to 128 letters, digits, ".", "_" or "-"` };
  }
  if ((route.kind === 'blob' || route.kind === 'referrers') && !isDigest(route.reference)) {
    return { kind: 'invalid', code: 'DIGEST_INVALID', message: `"${route.reference}" is not a sha256 digest` };
  }
  if (route.kind === 'upload' && !isUploadSession(route.reference)) {
    return { kind: 'invalid', code: 'BLOB_UPLOAD_INVALID', message: `upload session "${route.reference}" is invalid` };
  }
  const mountFrom = route.kind === 'uploads' ? new URLSearchParams(query).get('from') : null;
  if (mountFrom !== null && !isRepositoryName(mountFrom)) return invalidName('mount source repository', mountFrom);
  return route;
}

function invalidName(what: string, name: string): OciRoute {
  return { kind: 'invalid', code: 'NAME_INVALID', message: `${what} "${name}" is invalid; use lowercase letters, digits and single separators (. _ - /)` };
}
