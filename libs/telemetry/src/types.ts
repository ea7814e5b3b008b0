export interface TelemetryOptions {
  serviceName: string;
  /** The version of the program, on every span and metric as service.version. */
  serviceVersion?: string;
  /** Tells this process apart from others of its service (the runner id for a runner). */
  instanceId?: string;
  /** When set, every finished span is appended to this file as one JSON line: the embedded trace store. */
  spansFile?: string;
  /** The environment to read OTEL_* from; the process's own by default. */
  env?: NodeJS.ProcessEnv;
}

/** Minimal header access, so NATS message headers and plain maps both carry trace context. */
export interface HeaderCarrier {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}
