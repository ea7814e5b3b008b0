import type { ServiceRole } from '@lading/contracts';

/** The NATS users `lading up` creates: one per service, and the administrator principal. */
export type NatsRole = ServiceRole | 'admin';

/** Subjects a user may use, listed positively: nothing is allowed that is not named. */
export interface SubjectRules {
  allow: string[];
}

export interface NatsPermissions {
  publish: SubjectRules;
  subscribe: SubjectRules;
  /** Lets a service answer the requests it receives without publishing into anyone's inbox. */
  allow_responses?: boolean;
}

export interface NatsUser {
  user: string;
  password: string;
  permissions: NatsPermissions;
}

/** The passwords of the NATS users: each service, and each principal (the administrator among them). */
export interface NatsPasswords {
  services: Record<ServiceRole, string>;
  principals: Record<string, string>;
}

export interface NatsConfigOptions {
  port: number;
  storeDir: string;
  passwords: NatsPasswords;
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
  /** Defaults to defaultHome(): $LADING_HOME, else /var/lib/lading for root, ~/.lading for others. */
  home?: string;
  /** The Lading checkout whose apps/<app>/dist/main.js files (or, from sources, src/main.ts) are run. */
  repoRoot: string;
  /** Runs the services' TypeScript sources instead of their compiled bundles (a lading run from its sources does). */
  fromSources?: boolean;
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
  /** The user id the process runs as (from /proc), while it is alive. */
  uid?: number;
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
