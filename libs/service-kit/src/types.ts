import type { ServiceRole } from '@lading/contracts';

/** How a service finds NATS and where it serves health, taken from the environment. */
export interface ServiceConfig {
  role: ServiceRole;
  natsUrl: string;
  natsUser?: string;
  natsPassword?: string;
  /** Port for /healthz, /readyz and /metrics; 0 picks a free one. */
  httpPort: number;
  /** Address the health server binds: loopback unless probes come from elsewhere (Kubernetes). */
  httpHost: string;
  /** Directory for this service's files (keys, spans); never holds secret values in clear. */
  stateDir: string;
  spansFile?: string;
  /** Who may act, in which namespaces (LADING_PRINCIPALS_FILE); none: only the administrator is known. */
  principalsFile?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
