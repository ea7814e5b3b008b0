export { initTelemetry, type Telemetry } from './init.js';
export {
  activeTraceIds,
  extractTraceContext,
  injectTraceContext,
  markFailed,
  recordSpan,
  startSpan,
  traceContextVariables,
  withSpan,
  type SpanOptions,
} from './propagation.js';
export { JsonLinesSpanExporter } from './jsonl-span-exporter.js';
export { instruments, secondsSince, type LadingInstruments } from './instruments.js';
export { readOtlpSettings, type OtlpProtocol, type OtlpSettings } from './otlp-settings.js';
export { podNameEnv, podNamespaceEnv } from './process-resource.js';
export { withPresetSpanId } from './preset-span-ids.js';
export { messagingAttributes } from './messaging-attributes.js';
export { SpanKind, context, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
export type { TelemetryOptions, HeaderCarrier } from './types.js';
export { readTrace, renderSpanTree, type StoredSpan } from './span-store.js';
