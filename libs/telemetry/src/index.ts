// Tracing and metrics as every Lading process uses them: set up once (initTelemetry), spans and
// trace context across NATS, processes and containers, and the shared instruments. How spans are
// exported and the process described stays behind initTelemetry (`@lading/telemetry/init`, kept
// apart so that a command which exports nothing never loads the SDK) and initCommandTelemetry.
export { initCommandTelemetry, type CommandTelemetry } from './command-telemetry.js';
export {
  activeTraceIds,
  extractTraceContext,
  injectTraceContext,
  markFailed,
  recordSpan,
  startSpan,
  traceContextVariables,
  withSpan,
} from './propagation.js';
export { instruments, secondsSince } from './instruments.js';
export { withPresetSpanId } from './preset-span-ids.js';
export { messagingAttributes } from './messaging-attributes.js';
export { SpanKind, context, trace, type Context, type Span } from '@opentelemetry/api';
export type { HeaderCarrier } from './types.js';
export { readTrace, renderSpanTree } from './span-store.js';
