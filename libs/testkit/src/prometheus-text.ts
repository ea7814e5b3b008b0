import { createRequire } from 'node:module';

/** One metric family of a Prometheus text exposition, as parse-prometheus-text-format returns it. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }>;
}

// The package ships CommonJS without types.
const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => MetricFamily[];

/** A /metrics page read by a Prometheus text-format parser from npm, as a scraper would read it. */
export function parsePrometheusText(text: string): MetricFamily[] {
  return parse(text);
}
