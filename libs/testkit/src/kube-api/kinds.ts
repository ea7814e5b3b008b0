/**
 * The kinds the Kubernetes API stand-in serves, as the real API server's discovery documents
 * name them. kubectl finds a kind's REST path (group, version, plural, namespaced or not) only
 * from these documents, so they must agree with the real ones for the kinds listed.
 */
export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
}

export const kinds: readonly KindInfo[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true, shortNames: [] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'] },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true, shortNames: ['deploy'] },
];

const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const groupVersionOf = (info: Pick<KindInfo, 'group' | 'version'>): string => (info.group === '' ? info.version : `${info.group}/${info.version}`);

/** GET /api: the core group's versions. */
export function coreVersions(): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] };
}

/** GET /apis: every named group (the core group is not one). */
export function groupList(): unknown {
  const groups = [...new Set(kinds.filter((k) => k.group !== '').map((k) => k.group))].map((name) => {
    const versions = [...new Set(kinds.filter((k) => k.group === name).map((k) => k.version))].map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions, preferredVersion: versions[0] };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** GET /api/v1 or /apis/GROUP/VERSION: the resources of one group version, or undefined. */
export function resourceList(groupVersion: string): unknown {
  const served = kinds.filter((k) => groupVersionOf(k) === groupVersion);
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: served.map((k) => ({ name: k.plural, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs, shortNames: k.shortNames })),
  };
}

export function kindByPlural(groupVersion: string, plural: string): KindInfo | undefined {
  return kinds.find((k) => groupVersionOf(k) === groupVersion && k.plural === plural);
}

/** The kind a stored object's key names (`group/plural/…`). */
export function kindOfKey(key: string): KindInfo | undefined {
  const [group, plural] = key.split('/');
  return kinds.find((k) => k.group === group && k.plural === plural);
}
