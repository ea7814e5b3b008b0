export { initTelemetry, type Telemetry } from './init.js';
export { injectTraceContext, extractTraceContext, withSpan } from './propagation.js';
export { JsonLinesSpanExporter } from './jsonl-span-exporter.js';
export type { TelemetryOptions, HeaderCarrier } from './types.js';
