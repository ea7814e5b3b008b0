import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { readSetting } from '@lading/contracts/settings';
import { telemetrySettings } from './telemetry-settings.js';

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
  // Kubernetes' downward API hands a pod its own name and namespace (see deploy/kubernetes).
  const podName = readSetting(telemetrySettings.podName, env);
  const podNamespace = readSetting(telemetrySettings.podNamespace, env);
  if (podName) attributes['k8s.pod.name'] = podName;
  if (podNamespace) attributes['k8s.namespace.name'] = podNamespace;
  Object.assign(attributes, operatorAttributes(readSetting(telemetrySettings.resourceAttributes, env)));
  const serviceName = readSetting(telemetrySettings.serviceName, env);
  if (serviceName) attributes['service.name'] = serviceName;
  return resourceFromAttributes(attributes);
}
