import type { Resource } from '@opentelemetry/resources';
import { SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { JsonLinesSpanExporter } from './jsonl-span-exporter.js';
import { PresettableIdGenerator } from './presettable-id-generator.js';

/**
 * Registers this process's tracer provider (W3C trace-context propagation, presettable span ids).
 * Spans go to the JSON-lines file when one is given, at once, so `--trace` sees a run as soon as
 * it ends, and to whatever further processors the caller adds.
 */
export function registerTracerProvider(resource: Resource, spansFile: string | undefined, further: SpanProcessor[] = []): NodeTracerProvider {
  const spanProcessors: SpanProcessor[] = [];
  if (spansFile) spanProcessors.push(new SimpleSpanProcessor(new JsonLinesSpanExporter(spansFile)));
  spanProcessors.push(...further);
  const provider = new NodeTracerProvider({ resource, spanProcessors, idGenerator: new PresettableIdGenerator() });
  provider.register();
  return provider;
}
