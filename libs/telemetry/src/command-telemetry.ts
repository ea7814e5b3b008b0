import { randomBytes } from 'node:crypto';
import { context, propagation, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { readOtlpSettings } from './otlp-settings.js';
import type { TelemetryOptions } from './types.js';

/** What a short-lived command needs of its telemetry: to flush what it recorded before it exits. */
export interface CommandTelemetry {
  /** Exports what is still batched and stops; safe to call more than once. */
  shutdown(): Promise<void>;
  /** The context the command's root span starts in, given its caller's (from TRACEPARENT, or empty). */
  rootParent(callers: Context): Context;
}

/**
 * Telemetry for a short-lived command, loading no more of the SDK than its settings need: the
 * whole SDK (`initTelemetry`) when OTEL_* configures an exporter, the tracer provider alone when
 * spans only go to the JSON-lines file, and nothing but the API otherwise. Reading the SDK and its
 * exporters costs a command more start-up time than the command itself takes.
 */
export async function initCommandTelemetry(options: TelemetryOptions): Promise<CommandTelemetry> {
  const otlp = readOtlpSettings(options.env ?? process.env);
  const recorded = (stop: () => Promise<void>): CommandTelemetry => ({ shutdown: stop, rootParent: (callers) => callers });
  if (otlp.traces || otlp.metrics) return recorded((await import('./init.js')).initTelemetry(options).shutdown);
  if (options.spansFile) return recorded((await import('./spans-file-telemetry.js')).initSpansFileTelemetry(options).shutdown);
  // What the tracer provider's register() would set up: the active span follows async calls, so
  // each NATS call and child process carries the command's trace.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return { shutdown: () => Promise.resolve(), rootParent: unrecordedTraceRoot };
}

/**
 * The root of a command's trace when no span is recorded: a fresh trace id, marked sampled, so the
 * services it calls still record their spans under one trace and the command can print its id.
 */
function unrecordedTraceRoot(parent: Context): Context {
  const callers = trace.getSpanContext(parent);
  if (callers && trace.isSpanContextValid(callers)) return parent;
  return trace.setSpanContext(parent, { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.SAMPLED });
}
