import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { initTelemetry } from './init.js';
import { extractTraceContext, injectTraceContext, instruments, readTrace, recordSpan, renderSpanTree, traceContextVariables, withPresetSpanId, withSpan } from './index.js';
import { context, trace } from '@opentelemetry/api';

function mapCarrier() {
  const values = new Map<string, string>();
  return { values, get: (key: string) => values.get(key), set: (key: string, value: string) => void values.set(key, value) };
}

describe('telemetry', () => {
  it('carries one trace across a hop, records a span under a chosen id, keeps the spans and serves metrics with HELP and TYPE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lading-spans-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const spansFile = join(dir, 'spans-test.jsonl');
    const telemetry = initTelemetry({ serviceName: 'test', serviceVersion: '1.0.0', spansFile, env: {} });
    const carrier = mapCarrier();
    let variables: { TRACEPARENT?: string } = {};
    await withSpan('test', 'caller', {}, async () => {
      injectTraceContext(carrier);
      variables = traceContextVariables(context.active());
    });
    expect(carrier.values.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(variables.TRACEPARENT).toBe(carrier.values.get('traceparent'));
    await withSpan('test', 'handler', {}, async () => undefined, extractTraceContext(carrier));
    const parent = extractTraceContext(carrier);
    withPresetSpanId('00f067aa0ba902b7', () => recordSpan('test', 'step 1', { 'process.exit.code': 0 }, Date.now() - 5, Date.now(), parent));
    instruments().endpointDuration.record(0.02, { 'messaging.destination.name': 'lading.test', outcome: 'ok' });
    const metrics = await telemetry.prometheusText();
    await telemetry.shutdown();

    const spans = (await readFile(spansFile, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(spans.map((span) => span.name)).toEqual(['caller', 'handler', 'step 1']);
    expect(spans[1].traceId).toBe(spans[0].traceId);
    expect(spans[1].parentSpanId).toBe(spans[0].spanId);
    expect(spans[2].spanId).toBe('00f067aa0ba902b7');
    const tree = renderSpanTree(await readTrace(dir, spans[0].traceId));
    expect(tree).toMatch(/^caller {2}\d+\.\d ms {2}\(test\)\n/);
    expect(tree).toMatch(/^ {2}handler {2}\d+\.\d ms {2}\(test\)$/m);
    expect(tree).toMatch(/^ {2}step 1 {2}\d+\.\d ms {2}\(test\)$/m);
    expect(metrics).toContain('# HELP lading_endpoint_duration');
    expect(metrics).toContain('# TYPE lading_endpoint_duration histogram');
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
