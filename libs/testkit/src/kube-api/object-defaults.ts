import type { KindInfo } from './kinds.js';

type KubeObject = Record<string, unknown> & { metadata: Record<string, unknown>; spec?: Record<string, unknown> };

/**
 * What the API server and its controllers would have filled in by the time a client looks: a
 * Service gets a cluster IP, a Deployment reports all its replicas available at once (the
 * stand-in runs no pods), a Namespace is Active. `ordinal` makes each cluster IP distinct.
 */
export function withServerFields(info: KindInfo, object: KubeObject, ordinal: number, previous?: KubeObject): KubeObject {
  if (info.kind === 'Service') {
    const spec = { ...object.spec };
    const kept = previous?.spec?.clusterIP;
    spec.clusterIP ??= kept ?? `10.96.${Math.floor(ordinal / 250) % 250}.${(ordinal % 250) + 2}`;
    spec.clusterIPs ??= [spec.clusterIP];
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    return { ...object, spec, status: { loadBalancer: {} } };
  }
  if (info.kind === 'Deployment') {
    const replicas = typeof object.spec?.replicas === 'number' ? object.spec.replicas : 1;
    const condition = (type: string, reason: string) => ({ type, status: 'True', reason, message: 'stand-in: no pods run here', lastUpdateTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() });
    return {
      ...object,
      spec: { ...object.spec, replicas },
      status: {
        observedGeneration: object.metadata.generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [condition('Available', 'MinimumReplicasAvailable'), condition('Progressing', 'NewReplicaSetAvailable')],
      },
    };
  }
  if (info.kind === 'Namespace') return { ...object, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
  return object;
}
