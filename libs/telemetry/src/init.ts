import { trace, type Tracer } from '@opentelemetry/api';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { initMetrics } from './metrics.js';
import { otlpSpanExporter } from './otlp-exporters.js';
import { readOtlpSettings } from './otlp-settings.js';
import { processResource } from './process-resource.js';
import { registerTracerProvider } from './tracer-provider.js';
import type { TelemetryOptions } from './types.js';

export interface Telemetry {
  tracer: Tracer;
  /** /metrics: every instrument of this process in Prometheus text format. */
  prometheusText(): Promise<string>;
  /** Exports what is still batched and stops; safe to call more than once. */
  shutdown(): Promise<void>;
}

/**
 * Registers this process's tracer and meter providers with W3C trace-context propagation. Spans go
 * to the JSON-lines file when one is given (at once, so `--trace` sees a run as soon as it ends) and,
 * batched, to the OTLP endpoint when OTEL_EXPORTER_OTLP_ENDPOINT is set; nothing is sent otherwise.
 */
export function initTelemetry(options: TelemetryOptions): Telemetry {
  const env = options.env ?? process.env;
  const otlp = readOtlpSettings(env);
  const resource = processResource({ serviceName: options.serviceName, serviceVersion: options.serviceVersion ?? '0.0.0', instanceId: options.instanceId }, env);
  const provider = registerTracerProvider(resource, options.spansFile, otlp.traces ? [new BatchSpanProcessor(otlpSpanExporter(otlp.traces))] : []);
  const processMetrics = initMetrics(resource, otlp.metrics, env);
  let stopped: Promise<void> | undefined;
  return {
    tracer: trace.getTracer(options.serviceName),
    prometheusText: () => processMetrics.prometheusText(),
    shutdown: () => (stopped ??= Promise.all([provider.shutdown(), processMetrics.shutdown()]).then(() => undefined)),
  };
}
