import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import { otlpMetricExporter } from './otlp-exporters.js';
import { readSetting } from '@lading/contracts/settings';
import type { OtlpSignalSettings } from './otlp-settings.js';
import { telemetrySettings } from './telemetry-settings.js';

export interface ProcessMetrics {
  /** The Prometheus text exposition (with # HELP and # TYPE) of every instrument of this process. */
  prometheusText(): Promise<string>;
  shutdown(): Promise<void>;
}

/**
 * One meter provider per process: read on demand for /metrics, and pushed over OTLP every
 * OTEL_METRIC_EXPORT_INTERVAL when an endpoint is configured.
 */
export function initMetrics(resource: Resource, otlp: OtlpSignalSettings | undefined, env: NodeJS.ProcessEnv = process.env): ProcessMetrics {
  const scrape = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const readers: MetricReader[] = [scrape];
  if (otlp) {
    const interval = readSetting(telemetrySettings.metricExportInterval, env);
    readers.push(new PeriodicExportingMetricReader({ exporter: otlpMetricExporter(otlp), exportIntervalMillis: interval }));
  }
  const provider = new MeterProvider({ resource, readers });
  metrics.setGlobalMeterProvider(provider);
  const serializer = new PrometheusSerializer(undefined, false, undefined, false, true);
  return {
    async prometheusText() {
      const { resourceMetrics } = await scrape.collect();
      return serializer.serialize(resourceMetrics);
    },
    shutdown: () => provider.shutdown(),
  };
}
