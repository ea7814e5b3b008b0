import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';

/** Kubernetes' downward API hands a pod its own name and namespace in these variables (see deploy/kubernetes). */
export const podNameEnv = 'LADING_POD_NAME';
export const podNamespaceEnv = 'LADING_POD_NAMESPACE';

export interface ProcessIdentity {
  serviceName: string;
  serviceVersion: string;
  /** What tells two processes of one service apart: the runner's id for a runner. */
  instanceId?: string;
}

/** `OTEL_RESOURCE_ATTRIBUTES`: comma-separated `key=value`, percent-encoded; a malformed pair is skipped. */
function operatorAttributes(text: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    try {
      attributes[decodeURIComponent(pair.slice(0, equals).trim())] = decodeURIComponent(pair.slice(equals + 1).trim());
    } catch {
      // Not percent-encoding: the SDK skips such a pair too.
    }
  }
  return attributes;
}

/**
 * The resource every span and metric of this process carries: service, version, instance and,
 * on Kubernetes, pod and namespace. `OTEL_RESOURCE_ATTRIBUTES` and then `OTEL_SERVICE_NAME` are
 * read last, so an operator's own attributes win.
 */
export function processResource(identity: ProcessIdentity, env: NodeJS.ProcessEnv = process.env): Resource {
  const attributes: Record<string, string> = {
    'service.name': identity.serviceName,
    'service.namespace': 'lading',
    'service.version': identity.serviceVersion,
  };
  if (identity.instanceId) attributes['service.instance.id'] = identity.instanceId;
  if (env[podNameEnv]) attributes['k8s.pod.name'] = env[podNameEnv];
  if (env[podNamespaceEnv]) attributes['k8s.namespace.name'] = env[podNamespaceEnv];
  Object.assign(attributes, operatorAttributes(env.OTEL_RESOURCE_ATTRIBUTES));
  if (env.OTEL_SERVICE_NAME) attributes['service.name'] = env.OTEL_SERVICE_NAME;
  return resourceFromAttributes(attributes);
}
