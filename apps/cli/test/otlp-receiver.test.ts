import { context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeTraces } from './support/otlp-receiver.js';

/** Spans made by the OpenTelemetry SDK, with a parent, attributes of each kind and an event. */
function sdkSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'lading-test' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  const parent = tracer.startSpan('parent');
  const child = tracer.startSpan('child', { attributes: { 'process.exit.code': 3, 'lading.flag': true, 'http.route': '/v2/{name}/manifests/{reference}' } }, trace.setSpan(context.active(), parent));
  child.addEvent('mark', { count: 2 });
  child.end();
  parent.end();
  return exporter.getFinishedSpans();
}

describe('the test OTLP receiver', () => {
  it('decodes what the OpenTelemetry serializers write, protobuf and JSON alike', () => {
    const spans = sdkSpans();
    const protobuf = decodeTraces(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array()), 'application/x-protobuf');
    const json = decodeTraces(Buffer.from(JsonTraceSerializer.serializeRequest(spans) ?? new Uint8Array()), 'application/json');
    for (const decoded of [protobuf, json]) {
      const child = decoded.find((span) => span.name === 'child');
      const parent = decoded.find((span) => span.name === 'parent');
      expect(child?.service).toBe('lading-test');
      expect(child?.traceId).toBe(spans[0].spanContext().traceId);
      expect(child?.spanId).toBe(spans[0].spanContext().spanId);
      expect(child?.parentSpanId).toBe(parent?.spanId);
      expect(child?.attributes).toEqual({ 'process.exit.code': 3, 'lading.flag': true, 'http.route': '/v2/{name}/manifests/{reference}' });
      expect(child?.events).toEqual([{ name: 'mark', attributes: { count: 2 } }]);
      expect(parent?.parentSpanId).toBe('');
    }
  });
});
