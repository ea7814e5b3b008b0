/** The OTLP/HTTP encodings Lading speaks; gRPC would pull a second transport into every process. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

const protocols: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

/** Where one signal goes, as the standard OTEL_* variables say; undefined when it is not exported. */
export interface OtlpSignalSettings {
  protocol: OtlpProtocol;
}

export interface OtlpSettings {
  traces?: OtlpSignalSettings;
  metrics?: OtlpSignalSettings;
}

type Signal = 'TRACES' | 'METRICS';

function signalSettings(env: NodeJS.ProcessEnv, signal: Signal): OtlpSignalSettings | undefined {
  const exporter = env[`OTEL_${signal}_EXPORTER`]?.trim();
  if (exporter === 'none') return undefined;
  if (exporter && exporter !== 'otlp') throw new Error(`OTEL_${signal}_EXPORTER=${exporter} is not supported: use otlp or none`);
  const endpoint = env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`] || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  const protocol = (env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf').trim();
  if (!protocols.includes(protocol as OtlpProtocol)) {
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: use http/protobuf or http/json`);
  }
  return { protocol: protocol as OtlpProtocol };
}

/**
 * Reads the OpenTelemetry SDK's standard variables: nothing is exported unless an OTLP endpoint
 * is set, and `OTEL_SDK_DISABLED=true` turns export off whatever else is set. The exporters read
 * the endpoint, headers, timeout and compression themselves.
 */
export function readOtlpSettings(env: NodeJS.ProcessEnv = process.env): OtlpSettings {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return {};
  return { traces: signalSettings(env, 'TRACES'), metrics: signalSettings(env, 'METRICS') };
}
