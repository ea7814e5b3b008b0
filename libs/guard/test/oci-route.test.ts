import { describe, expect, it } from 'vitest';
import { classifyRequest, routeTemplate } from '../src/internal.js';

const digest = `sha256:${'a'.repeat(64)}`;

// The relay, admission and the rule engine all act on this one classification: a request the
// table calls a read or an upload bypasses the ledger, everything that changes a tag or deletes
// content does not.
describe('the OCI route classifier', () => {
  it.each([
    ['GET', '/v2/', 'ping', 'read'],
    ['GET', '/v2/_catalog', 'catalog', 'read'],
    ['HEAD', '/v2/team/app/manifests/v1', 'manifest', 'read'],
    ['GET', `/v2/team/app/blobs/${digest}`, 'blob', 'read'],
    ['GET', '/v2/team/app/tags/list', 'tags', 'read'],
    ['GET', `/v2/team/app/referrers/${digest}`, 'referrers', 'read'],
    ['POST', '/v2/team/app/blobs/uploads/', 'uploads', 'upload'],
    ['POST', `/v2/team/app/blobs/uploads/?mount=${digest}&from=team/base`, 'uploads', 'upload'],
    ['PATCH', '/v2/team/app/blobs/uploads/session-1', 'upload', 'upload'],
    ['PUT', `/v2/team/app/blobs/uploads/session-1?digest=${digest}`, 'upload', 'upload'],
    ['DELETE', '/v2/team/app/blobs/uploads/session-1', 'upload', 'cancel-upload'],
    ['PUT', `/v2/team/app/manifests/${digest}`, 'manifest', 'push-by-digest'],
    ['PUT', '/v2/team/app/manifests/v1', 'manifest', 'write-tag'],
    ['DELETE', '/v2/team/app/manifests/v1', 'manifest', 'delete-tag'],
    ['DELETE', `/v2/team/app/manifests/${digest}`, 'manifest', 'delete-content'],
    ['DELETE', `/v2/team/app/blobs/${digest}`, 'blob', 'delete-content'],
    ['POST', '/v2/team/app/manifests/v1', 'manifest', 'unsupported'],
    ['GET', '/v2/team/app/blobs/uploads/', 'uploads', 'unsupported'],
    ['DELETE', '/v2/team/app/tags/list', 'tags', 'unsupported'],
  ])('%s %s is a %s route and a %s', (method, target, kind, action) => {
    const { route, action: classified } = classifyRequest(method, target);
    expect(route.kind).toBe(kind);
    expect(classified).toBe(action);
  });

  it('names the repository and reference a path carries', () => {
    expect(classifyRequest('PUT', '/v2/team/app/manifests/v1').route).toEqual({ kind: 'manifest', repository: 'team/app', reference: 'v1', byDigest: false });
    expect(classifyRequest('GET', `/v2/a/b/c/blobs/${digest}`).route).toEqual({ kind: 'blob', repository: 'a/b/c', reference: digest });
    expect(classifyRequest('PATCH', '/v2/team/app/blobs/uploads/s-1?x=1').route).toEqual({ kind: 'upload', repository: 'team/app', reference: 's-1' });
  });

  it.each([
    ['/v2/team/%2e%2e/app/manifests/v1', 'NAME_INVALID'],
    ['/v2/Team/app/manifests/v1', 'NAME_INVALID'],
    [`/v2/team/app/blobs/uploads/?mount=${digest}&from=../other`, 'NAME_INVALID'],
    [`/v2/team/app/blobs/uploads/?from=Team/Base&mount=${digest}`, 'NAME_INVALID'],
    ['/v2/team/app/manifests/-bad', 'TAG_INVALID'],
    ['/v2/team/app/manifests/sha256:short', 'DIGEST_INVALID'],
    ['/v2/team/app/blobs/md5:abc', 'DIGEST_INVALID'],
    ['/v2/team/app/blobs/uploads/a%2fb', 'BLOB_UPLOAD_INVALID'],
    ['/v2/team/app/nothing', 'NAME_INVALID'],
  ])('refuses %s as %s, which nothing relays', (target, code) => {
    const { route, action } = classifyRequest('PUT', target);
    expect(route).toMatchObject({ kind: 'invalid', code });
    expect(action).toBe('unsupported');
  });

  it('leaves paths outside /v2 to other handlers', () => {
    expect(classifyRequest('GET', '/token?service=x')).toEqual({ route: { kind: 'unknown' }, action: 'unsupported' });
  });

  it('names each route by a template that holds no repository or reference', () => {
    expect(routeTemplate(classifyRequest('PUT', '/v2/team/app/manifests/v1').route)).toBe('/v2/{name}/manifests/{reference}');
    expect(routeTemplate(classifyRequest('PUT', '/v2/team/app/manifests/-bad').route)).toBe('unknown');
  });
});
