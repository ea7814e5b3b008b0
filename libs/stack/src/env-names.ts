/** Names of the environment variables a Lading service process is started with. */
export const serviceEnv = {
  natsUrl: 'LADING_NATS_URL',
  natsUser: 'LADING_NATS_USER',
  /** A file of mode 0600 holding the NATS password, so it never shows in a process listing. */
  natsPasswordFile: 'LADING_NATS_PASSWORD_FILE',
  /** Port of /healthz, /readyz and /metrics. */
  httpPort: 'LADING_HTTP_PORT',
  stateDir: 'LADING_STATE_DIR',
  spansFile: 'LADING_SPANS_FILE',
  /** registry-guard: the upstream registry URL (loopback). */
  upstreamRegistry: 'LADING_UPSTREAM_REGISTRY',
  /** registry-guard: the front-door port users push and pull through. */
  guardPort: 'LADING_GUARD_PORT',
  /** registry-guard: principals allowed to force a tag overwrite. */
  forcePrincipals: 'LADING_FORCE_PRINCIPALS',
  /** builder and runner: the front door, as host:port. */
  registry: 'LADING_REGISTRY',
  runnerId: 'LADING_RUNNER_ID',
  brokerKeyFile: 'LADING_BROKER_KEY_FILE',
  storeKeyFile: 'LADING_STORE_KEY_FILE',
  /** all: the principals file (who may act, in which namespaces); read again when it changes. */
  principalsFile: 'LADING_PRINCIPALS_FILE',
} as const;

/** The CLI: a principal's credentials file to act as (as `--credentials` does). */
export const credentialsEnv = 'LADING_CREDENTIALS';

/** Where the stack lives when neither an option nor this variable says otherwise: ~/.lading. */
export const homeEnv = 'LADING_HOME';
