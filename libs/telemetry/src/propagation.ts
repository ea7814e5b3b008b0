import { context, propagation, trace, SpanKind, SpanStatusCode, type Attributes, type Context, type Span, type TimeInput } from '@opentelemetry/api';
import type { HeaderCarrier } from './types.js';

const carrierAccess = {
  get: (carrier: HeaderCarrier, key: string) => carrier.get(key),
  keys: () => ['traceparent', 'tracestate'],
  set: (carrier: HeaderCarrier, key: string, value: string) => carrier.set(key, value),
};

/** Writes the active trace context (W3C `traceparent`, `tracestate`; no baggage) into outgoing headers. */
export function injectTraceContext(carrier: HeaderCarrier, from: Context = context.active()): void {
  propagation.inject(from, carrier, carrierAccess);
}

/** Reads the caller's trace context from incoming headers. */
export function extractTraceContext(carrier: HeaderCarrier): Context {
  return propagation.extract(context.active(), carrier, carrierAccess);
}

export interface SpanOptions {
  kind?: SpanKind;
  startTime?: TimeInput;
}

/** Marks a span failed by error class only: error messages can name user input, and spans never carry values. */
export function markFailed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
  span.setAttribute('error.type', error instanceof Error ? error.name : 'error');
}

/**
 * Runs `work` inside a new span (child of `parent` when given), which it may annotate. The span
 * records failure by error class only.
 */
export async function withSpan<T>(
  tracerName: string,
  spanName: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
  options: SpanOptions = {},
): Promise<T> {
  const tracer = trace.getTracer(tracerName);
  return tracer.startActiveSpan(spanName, { attributes, kind: options.kind ?? SpanKind.INTERNAL, startTime: options.startTime }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Starts a span without making it active: the caller ends it, and runs its children in `context`. */
export function startSpan(tracerName: string, spanName: string, attributes: Attributes, parent: Context = context.active()): { span: Span; context: Context } {
  const span = trace.getTracer(tracerName).startSpan(spanName, { attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** A span for a stretch of time that already passed, such as a run's wait in the queue. */
export function recordSpan(
  tracerName: string,
  spanName: string,
  attributes: Attributes,
  start: TimeInput,
  end: TimeInput,
  parent: Context = context.active(),
  kind: SpanKind = SpanKind.INTERNAL,
): void {
  trace.getTracer(tracerName).startSpan(spanName, { attributes, startTime: start, kind }, parent).end(end);
}

/** The W3C `traceparent` and `tracestate` of a context, as the variables a process hands a child. */
export function traceContextVariables(from: Context): { TRACEPARENT?: string; TRACESTATE?: string } {
  const headers = new Map<string, string>();
  injectTraceContext({ get: (key) => headers.get(key), set: (key, value) => void headers.set(key, value) }, from);
  const variables: { TRACEPARENT?: string; TRACESTATE?: string } = {};
  if (headers.get('traceparent')) variables.TRACEPARENT = headers.get('traceparent');
  if (headers.get('tracestate')) variables.TRACESTATE = headers.get('tracestate');
  return variables;
}

/** The trace and span of the active context, for log lines and for printing; undefined outside a span. */
export function activeTraceIds(from: Context = context.active()): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpanContext(from);
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  return { traceId: span.traceId, spanId: span.spanId };
}
