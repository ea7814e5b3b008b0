import { trace, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { JsonLinesSpanExporter } from './jsonl-span-exporter.js';
import type { TelemetryOptions } from './types.js';

export interface Telemetry {
  tracer: Tracer;
  shutdown(): Promise<void>;
}

/** Registers a tracer provider with W3C trace-context propagation for this process. */
export function initTelemetry(options: TelemetryOptions): Telemetry {
  const spanProcessors: SpanProcessor[] = [];
  if (options.spansFile) spanProcessors.push(new SimpleSpanProcessor(new JsonLinesSpanExporter(options.spansFile)));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors,
  });
  provider.register();
  return {
    tracer: trace.getTracer(options.serviceName),
    shutdown: () => provider.shutdown(),
  };
}
