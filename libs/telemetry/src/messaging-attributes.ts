import type { Attributes } from '@opentelemetry/api';

/**
 * OpenTelemetry's messaging conventions for one NATS message: `send` by the caller or publisher,
 * `process` by the service that handles it. The subject is Lading's own name, never user input,
 * except for a run's events subject, which names only principal and run id.
 */
export function messagingAttributes(subject: string, operation: 'send' | 'process' | 'receive', bodySize?: number): Attributes {
  const attributes: Attributes = {
    'messaging.system': 'nats',
    'messaging.destination.name': subject,
    'messaging.operation.name': operation,
    'messaging.operation.type': operation,
  };
  if (bodySize !== undefined) attributes['messaging.message.body.size'] = bodySize;
  return attributes;
}
