export interface TelemetryOptions {
  serviceName: string;
  /** When set, every finished span is appended to this file as one JSON line (for operators and for tests). */
  spansFile?: string;
}

/** Minimal header access, so NATS message headers and plain maps both carry trace context. */
export interface HeaderCarrier {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}
