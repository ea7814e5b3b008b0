import { boolean, integer, oneOf, SettingError, settingsTable, text, url, type SettingType } from '@lading/contracts/settings';

/** A sampling ratio, `0` to `1`, as the traceidratio samplers take it. */
const ratio: SettingType<number> = {
  shape: 'number from 0 to 1',
  parse(value, variable) {
    const number = /^\d(\.\d{1,16})?$/.test(value.trim()) ? Number(value.trim()) : NaN;
    if (!(number >= 0 && number <= 1)) throw new SettingError(variable, `${variable} must be a number from 0 to 1, not ${JSON.stringify(value)}.`);
    return number;
  },
};

const signalEndpoint = (signal: string) =>
  `where ${signal} go over OTLP/HTTP, used as given (no \`/v1/${signal}\` appended); default: \`OTEL_EXPORTER_OTLP_ENDPOINT\``;

/**
 * The OpenTelemetry SDK's standard variables every service and the CLI read (meanings and defaults
 * from the OpenTelemetry specification; Lading speaks OTLP over HTTP only, gRPC would pull a second
 * transport into every process), and the Kubernetes downward API's pod name and namespace. All are
 * parsed when telemetry starts, so a bad value stops the process with one sentence; the rows marked
 * "read by the exporters" are then read again by the OpenTelemetry exporters themselves.
 */
export const telemetrySettings = settingsTable({
  sdkDisabled: { name: 'OTEL_SDK_DISABLED', type: boolean(), default: 'false', meaning: '`true` exports nothing at all, whatever else is set' },
  endpoint: {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    type: url(),
    meaning: 'the OTLP/HTTP collector for traces and metrics (`/v1/traces` and `/v1/metrics` are appended); **nothing is exported when no endpoint is set**',
  },
  tracesEndpoint: { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', type: url(), meaning: signalEndpoint('traces') },
  metricsEndpoint: { name: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', type: url(), meaning: signalEndpoint('metrics') },
  protocol: { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', type: oneOf(['http/protobuf', 'http/json']), default: 'http/protobuf', meaning: 'the OTLP encoding (gRPC is not supported)' },
  tracesProtocol: { name: 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', type: oneOf(['http/protobuf', 'http/json']), meaning: 'the encoding of traces; default: `OTEL_EXPORTER_OTLP_PROTOCOL`' },
  metricsProtocol: { name: 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', type: oneOf(['http/protobuf', 'http/json']), meaning: 'the encoding of metrics; default: `OTEL_EXPORTER_OTLP_PROTOCOL`' },
  tracesExporter: { name: 'OTEL_TRACES_EXPORTER', type: oneOf(['otlp', 'none']), default: 'otlp', meaning: '`none` exports no traces' },
  metricsExporter: { name: 'OTEL_METRICS_EXPORTER', type: oneOf(['otlp', 'none']), default: 'otlp', meaning: '`none` exports no metrics' },
  headers: { name: 'OTEL_EXPORTER_OTLP_HEADERS', type: text('comma-separated `key=value`'), meaning: 'headers sent with every export (for example a collector token); read by the exporters' },
  timeout: { name: 'OTEL_EXPORTER_OTLP_TIMEOUT', type: integer({ min: 1, unit: 'milliseconds' }), default: '10000', meaning: 'how long one export may take; read by the exporters' },
  compression: { name: 'OTEL_EXPORTER_OTLP_COMPRESSION', type: oneOf(['gzip', 'none']), default: 'none', meaning: 'compression of what is exported; read by the exporters' },
  metricExportInterval: { name: 'OTEL_METRIC_EXPORT_INTERVAL', type: integer({ min: 1, unit: 'milliseconds' }), default: '60000', meaning: 'how often metrics are pushed over OTLP' },
  spanScheduleDelay: { name: 'OTEL_BSP_SCHEDULE_DELAY', type: integer({ min: 0, unit: 'milliseconds' }), default: '5000', meaning: 'how long finished spans wait to be exported in a batch; read by the SDK' },
  spanQueueSize: { name: 'OTEL_BSP_MAX_QUEUE_SIZE', type: integer({ min: 1, unit: 'spans' }), default: '2048', meaning: 'finished spans kept waiting at most (more are dropped); read by the SDK' },
  spanBatchSize: { name: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', type: integer({ min: 1, unit: 'spans' }), default: '512', meaning: 'spans in one export at most; read by the SDK' },
  sampler: {
    name: 'OTEL_TRACES_SAMPLER',
    type: oneOf(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio']),
    default: 'parentbased_always_on',
    meaning: 'which traces are recorded; read by the SDK',
  },
  samplerArgument: { name: 'OTEL_TRACES_SAMPLER_ARG', type: ratio, meaning: 'the ratio of the `traceidratio` samplers (default 1); read by the SDK' },
  resourceAttributes: {
    name: 'OTEL_RESOURCE_ATTRIBUTES',
    type: text('comma-separated `key=value`, percent-encoded'),
    meaning: 'attributes added to every span and metric (they win over Lading\'s own; a malformed pair is skipped)',
  },
  serviceName: { name: 'OTEL_SERVICE_NAME', type: text(), meaning: 'the `service.name` of every span and metric; default: the service\'s own (`lading-runner`, …)' },
  podName: { name: 'LADING_POD_NAME', type: text(), meaning: 'on Kubernetes, from the downward API: the `k8s.pod.name` of every span and metric' },
  podNamespace: { name: 'LADING_POD_NAMESPACE', type: text(), meaning: 'on Kubernetes, from the downward API: the `k8s.namespace.name` of every span and metric' },
});
