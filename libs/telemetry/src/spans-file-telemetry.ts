import { processResource } from './process-resource.js';
import { registerTracerProvider } from './tracer-provider.js';
import type { TelemetryOptions } from './types.js';

/**
 * A command whose spans go only to the embedded store: the tracer provider without the metrics
 * SDK, whose instruments would be read by nobody (a command serves no /metrics), nor any exporter.
 */
export function initSpansFileTelemetry(options: TelemetryOptions): { shutdown(): Promise<void> } {
  const env = options.env ?? process.env;
  const resource = processResource({ serviceName: options.serviceName, serviceVersion: options.serviceVersion ?? '0.0.0', instanceId: options.instanceId }, env);
  const provider = registerTracerProvider(resource, options.spansFile);
  let stopped: Promise<void> | undefined;
  return { shutdown: () => (stopped ??= provider.shutdown()) };
}
