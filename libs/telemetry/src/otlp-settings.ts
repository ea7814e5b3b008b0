import { readSettings, type SettingValues } from '@lading/contracts/settings';
import { telemetrySettings } from './telemetry-settings.js';

/** The OTLP/HTTP encodings Lading speaks; gRPC would pull a second transport into every process. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** Where one signal goes, as the standard OTEL_* variables say; undefined when it is not exported. */
export interface OtlpSignalSettings {
  protocol: OtlpProtocol;
}

export interface OtlpSettings {
  traces?: OtlpSignalSettings;
  metrics?: OtlpSignalSettings;
}

type TelemetryValues = SettingValues<typeof telemetrySettings>;

function signalSettings(exporter: 'otlp' | 'none', endpoint: URL | undefined, protocol: OtlpProtocol): OtlpSignalSettings | undefined {
  if (exporter === 'none' || !endpoint) return undefined;
  return { protocol };
}

/**
 * Reads the OpenTelemetry SDK's standard variables (every row of telemetrySettings, so a bad one
 * stops the process here): nothing is exported unless an OTLP endpoint is set, and
 * `OTEL_SDK_DISABLED=true` turns export off whatever else is set. The exporters read the
 * endpoint, headers, timeout and compression themselves.
 */
export function readOtlpSettings(env: NodeJS.ProcessEnv = process.env): OtlpSettings {
  const settings: TelemetryValues = readSettings(telemetrySettings, env);
  if (settings.sdkDisabled) return {};
  return {
    traces: signalSettings(settings.tracesExporter, settings.tracesEndpoint ?? settings.endpoint, settings.tracesProtocol ?? settings.protocol),
    metrics: signalSettings(settings.metricsExporter, settings.metricsEndpoint ?? settings.endpoint, settings.metricsProtocol ?? settings.protocol),
  };
}
