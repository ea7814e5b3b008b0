import type { ServiceRole } from '@lading/contracts';

/** Every NATS user of the embedded stack: one per service, and one for the CLI. */
export type NatsRole = ServiceRole | 'cli';

export interface SubjectRules {
  allow: string[];
  deny: string[];
}

export interface NatsPermissions {
  publish: SubjectRules;
  subscribe: SubjectRules;
}

export interface NatsUser {
  user: NatsRole;
  password: string;
  permissions: NatsPermissions;
}

export interface NatsConfigOptions {
  port: number;
  storeDir: string;
  passwords: Record<NatsRole, string>;
  /** nats-server's monitoring port (serves /healthz); omitted when not wanted. */
  monitorPort?: number;
}

export interface StackPorts {
  nats: number;
  /** The upstream docker-registry, reachable on loopback only through the guard. */
  upstream: number;
  /** The registry front door (registry-guard) that users push and pull through. */
  guard: number;
}

export interface StartStackOptions {
  /** Defaults to $LADING_HOME, else ~/.lading. */
  home?: string;
  /** The Lading checkout whose apps/<app>/src/main.ts files are run. */
  repoRoot: string;
  ports?: Partial<StackPorts>;
  /** Runs another script for a service (tests use stand-ins). */
  services?: Partial<Record<ServiceRole, string>>;
  /** How many times to probe each process before giving up (every 100 ms); default 300. */
  readyAttempts?: number;
}

export interface StartStackResult {
  /** True when a running stack was found and nothing was started. */
  alreadyRunning: boolean;
  /** One sentence for the user. */
  message: string;
  status: StackStatus;
}

export interface ProcessStatus {
  name: string;
  pid: number;
  alive: boolean;
  healthy: boolean;
  ready: boolean;
  healthPort?: number;
}

export interface StackStatus {
  running: boolean;
  endpoints: { nats: string; registry: string; upstream: string } | null;
  services: ProcessStatus[];
}

export interface StopStackResult {
  /** False when nothing was running. */
  stopped: boolean;
  message: string;
  /** Names of processes that ignored SIGTERM and were killed. */
  killed: string[];
}
