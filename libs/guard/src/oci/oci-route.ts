import { isDigest, isRepositoryName, isTag, isUploadSession } from './oci-names.js';

export type OciRoute =
  | { kind: 'ping' }
  | { kind: 'catalog' }
  | { kind: 'manifest'; name: string; reference: string; byDigest: boolean }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; session: string }
  | { kind: 'tags'; name: string }
  | { kind: 'referrers'; name: string; digest: string }
  | { kind: 'invalid'; code: 'NAME_INVALID' | 'TAG_INVALID' | 'DIGEST_INVALID' | 'BLOB_UPLOAD_INVALID'; message: string }
  | { kind: 'unknown' };

const shapes: Array<[RegExp, (name: string, part: string) => OciRoute]> = [
  [/^(.+)\/manifests\/([^/]+)$/, (name, reference) => ({ kind: 'manifest', name, reference, byDigest: reference.startsWith('sha256:') })],
  [/^(.+)\/blobs\/uploads\/?()$/, (name) => ({ kind: 'uploads', name })],
  [/^(.+)\/blobs\/uploads\/([^/]+)$/, (name, session) => ({ kind: 'upload', name, session })],
  [/^(.+)\/blobs\/([^/]+)$/, (name, digest) => ({ kind: 'blob', name, digest })],
  [/^(.+)\/tags\/list()$/, (name) => ({ kind: 'tags', name })],
  [/^(.+)\/referrers\/([^/]+)$/, (name, digest) => ({ kind: 'referrers', name, digest })],
];

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

/** Classifies a raw (undecoded) request path of the OCI Distribution API. */
export function parseOciRoute(rawUrl: string): OciRoute {
  const path = rawUrl.split('?')[0] ?? '';
  if (path === '/v2' || path === '/v2/') return { kind: 'ping' };
  if (!path.startsWith('/v2/')) return { kind: 'unknown' };
  const rest = path.slice('/v2/'.length);
  if (rest === '_catalog') return { kind: 'catalog' };
  for (const [pattern, build] of shapes) {
    const match = pattern.exec(rest);
    if (match) return validate(build(match[1] ?? '', match[2] ?? ''));
  }
  return { kind: 'invalid', code: 'NAME_INVALID', message: `"${rest}" is not an OCI Distribution API path; check the repository name` };
}

function validate(route: OciRoute): OciRoute {
  if (!('name' in route)) return route;
  if (!isRepositoryName(route.name)) {
    return {
      kind: 'invalid',
      code: 'NAME_INVALID',
      message: `repository name "${route.name}" is invalid; use lowercase letters, digits and single separators (. _ - /)`,
    };
  }
  if (route.kind === 'manifest' && !(route.byDigest ? isDigest(route.reference) : isTag(route.reference))) {
    return route.byDigest
      ? { kind: 'invalid', code: 'DIGEST_INVALID', message: `"${route.reference}" is not a sha256 digest` }
      : { kind: 'invalid', code: 'TAG_INVALID', message: `tag "${route.reference}" is invalid; use up to 128 letters, digits, ".", "_" or "-"` };
  }
  if ((route.kind === 'blob' || route.kind === 'referrers') && !isDigest(route.digest)) {
    return { kind: 'invalid', code: 'DIGEST_INVALID', message: `"${route.digest}" is not a sha256 digest` };
  }
  if (route.kind === 'upload' && !isUploadSession(route.session)) {
    return { kind: 'invalid', code: 'BLOB_UPLOAD_INVALID', message: `upload session "${route.session}" is invalid` };
  }
  return route;
}

/** The repository a cross-repository mount (`POST …/blobs/uploads/?mount=…&from=…`) takes the blob from. */
export function mountSource(rawUrl: string): string | undefined {
  return new URL(rawUrl, 'http://guard').searchParams.get('from') ?? undefined;
}
