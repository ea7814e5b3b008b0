import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpSignalSettings } from './otlp-settings.js';

/** The OTLP/HTTP span exporter of the configured encoding; it reads endpoint, headers and timeout from OTEL_*. */
export function otlpSpanExporter(settings: OtlpSignalSettings): SpanExporter {
  return settings.protocol === 'http/json' ? new JsonTraceExporter() : new ProtobufTraceExporter();
}

/** The OTLP/HTTP metric exporter of the configured encoding. */
export function otlpMetricExporter(settings: OtlpSignalSettings): PushMetricExporter {
  return settings.protocol === 'http/json' ? new JsonMetricExporter() : new ProtobufMetricExporter();
}
