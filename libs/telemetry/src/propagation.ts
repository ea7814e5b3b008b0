import { context, propagation, trace, SpanStatusCode, type Attributes, type Context } from '@opentelemetry/api';
import type { HeaderCarrier } from './types.js';

const carrierAccess = {
  get: (carrier: HeaderCarrier, key: string) => carrier.get(key),
  keys: () => ['traceparent', 'tracestate'],
  set: (carrier: HeaderCarrier, key: string, value: string) => carrier.set(key, value),
};

/** Writes the active trace context (W3C `traceparent`) into outgoing headers. */
export function injectTraceContext(carrier: HeaderCarrier): void {
  propagation.inject(context.active(), carrier, carrierAccess);
}

/** Reads the caller's trace context from incoming headers. */
export function extractTraceContext(carrier: HeaderCarrier): Context {
  return propagation.extract(context.active(), carrier, carrierAccess);
}

/**
 * Runs `work` inside a new span (child of `parent` when given). The span records failure by
 * error class only: error messages can name user input, and spans must never carry values.
 */
export async function withSpan<T>(
  tracerName: string,
  spanName: string,
  attributes: Attributes,
  work: () => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  const tracer = trace.getTracer(tracerName);
  return tracer.startActiveSpan(spanName, { attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
