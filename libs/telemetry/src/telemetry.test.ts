import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { extractTraceContext, initTelemetry, injectTraceContext, withSpan } from './index.js';

function mapCarrier() {
  const values = new Map<string, string>();
  return { values, get: (key: string) => values.get(key), set: (key: string, value: string) => void values.set(key, value) };
}

describe('telemetry', () => {
  it('carries one trace across a hop through headers and writes both spans', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lading-spans-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const spansFile = join(dir, 'spans.jsonl');
    const telemetry = initTelemetry({ serviceName: 'test', spansFile });
    const carrier = mapCarrier();
    await withSpan('test', 'caller', {}, async () => injectTraceContext(carrier));
    expect(carrier.values.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    await withSpan('test', 'handler', {}, async () => undefined, extractTraceContext(carrier));
    await telemetry.shutdown();
    const spans = (await readFile(spansFile, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(spans.map((span) => span.name)).toEqual(['caller', 'handler']);
    expect(spans[1].traceId).toBe(spans[0].traceId);
    expect(spans[1].parentSpanId).toBe(spans[0].spanId);
  });
});
