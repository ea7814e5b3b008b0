import { context, metrics, trace } from '@opentelemetry/api';
import { expect, it } from 'vitest';
import { extractTraceContext, initCommandTelemetry, traceContextVariables, withSpan } from './index.js';

// One process-wide registration per file: this file holds the command that exports nothing.
it('a command with no exporter and no spans file records nothing, yet hands one sampled trace on and keeps its caller', async () => {
  const telemetry = await initCommandTelemetry({ serviceName: 'lading-cli', env: { OTEL_SERVICE_NAME: 'ignored' } });
  const handedOn: (string | undefined)[] = [];
  const root = telemetry.rootParent(context.active());
  await withSpan('lading', 'lading', {}, async (span) => {
    expect(span.isRecording()).toBe(false);
    handedOn.push(traceContextVariables(context.active()).TRACEPARENT);
    await withSpan('lading', 'child', {}, async () => void handedOn.push(traceContextVariables(context.active()).TRACEPARENT));
  }, root);
  expect(handedOn[0]).toMatch(/^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-01$/);
  expect(handedOn[1]).toBe(handedOn[0]);
  // Another command gets another trace.
  const other = trace.getSpanContext(telemetry.rootParent(context.active()));
  expect(other?.traceId).not.toBe(handedOn[0]?.split('-')[1]);
  // A caller's TRACEPARENT is continued, not replaced.
  const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const carried = extractTraceContext({ get: (key) => (key === 'traceparent' ? caller : undefined), set: () => undefined });
  expect(traceContextVariables(telemetry.rootParent(carried)).TRACEPARENT).toBe(caller);
  // No SDK: the meter is the API's no-op one.
  expect(metrics.getMeterProvider().constructor.name).toMatch(/Noop/);
  await telemetry.shutdown();
});

it('refuses an exporter it does not speak with one sentence, before loading anything', async () => {
  await expect(initCommandTelemetry({ serviceName: 'lading-cli', env: { OTEL_TRACES_EXPORTER: 'zipkin' } })).rejects.toThrow('OTEL_TRACES_EXPORTER must be otlp or none, not "zipkin".');
});
