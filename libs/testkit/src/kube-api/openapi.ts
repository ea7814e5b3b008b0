import { groupVersionOf, kinds } from './kinds.js';

/**
 * The OpenAPI v3 documents kubectl reads before it writes: only whether each kind's PATCH takes
 * the fieldValidation parameter. It does, so kubectl leaves validation to the server (which the
 * stand-in does not do) instead of failing to download schemas it would validate against.
 */
const gvPath = (groupVersion: string): string => (groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`);

export function openApiRoot(): unknown {
  const groupVersions = [...new Set(kinds.map(groupVersionOf))];
  return { paths: Object.fromEntries(groupVersions.map((gv) => [gvPath(gv), { serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=stand-in` }])) };
}

/** The document of one group version (`api/v1`, `apis/apps/v1`), or undefined. */
export function openApiGroupVersion(path: string): unknown {
  const served = kinds.filter((k) => gvPath(groupVersionOf(k)) === path);
  if (served.length === 0) return undefined;
  const paths = Object.fromEntries(
    served.map((k) => [
      `/${path}/${k.namespaced ? 'namespaces/{namespace}/' : ''}${k.plural}/{name}`,
      {
        patch: {
          'x-kubernetes-group-version-kind': { group: k.group, version: k.version, kind: k.kind },
          parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
          responses: { '200': { description: 'OK' } },
        },
      },
    ]),
  );
  return { openapi: '3.0.0', info: { title: 'Kubernetes API stand-in', version: 'v1.32.0' }, paths };
}
