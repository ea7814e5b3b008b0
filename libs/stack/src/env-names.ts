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
  /** registry-guard: its user at the upstream registry, and the file (mode 0600) with its password. */
  upstreamUser: 'LADING_UPSTREAM_USER',
  upstreamPasswordFile: 'LADING_UPSTREAM_PASSWORD_FILE',
  /** registry-guard: the front-door port users push and pull through. */
  guardPort: 'LADING_GUARD_PORT',
  /** registry-guard: principals allowed to force a tag overwrite. */
  forcePrincipals: 'LADING_FORCE_PRINCIPALS',
  /** registry-guard: services that push content by digest only (name → password verifier), mode 0600. */
  contentPushersFile: 'LADING_GUARD_CONTENT_PUSHERS_FILE',
  /** builder and runner: the front door, as host:port. */
  registry: 'LADING_REGISTRY',
  /** builder: its login at the front door, and the file (mode 0600) with its password. */
  registryUser: 'LADING_REGISTRY_USER',
  registryPasswordFile: 'LADING_REGISTRY_PASSWORD_FILE',
  /** builder and registry-guard: registries besides the front door they may contact (comma-separated host:port). */
  allowedRegistries: 'LADING_ALLOWED_REGISTRIES',
  /** builder: `off` gives the RUN steps of an invocation image build no network at all; `on` (default) Docker's. */
  buildEgress: 'LADING_BUILD_EGRESS',
  runnerId: 'LADING_RUNNER_ID',
  /** runner: the operator's signature policy file (which repositories' bundles must be signed, by which keys). */
  signaturePolicy: 'LADING_SIGNATURE_POLICY',
  brokerKeyFile: 'LADING_BROKER_KEY_FILE',
  storeKeyFile: 'LADING_STORE_KEY_FILE',
  /** all: the principals file (who may act, in which namespaces); read again when it changes. */
  principalsFile: 'LADING_PRINCIPALS_FILE',
} as const;

/** The CLI: a principal's credentials file to act as (as `--credentials` does). */
export const credentialsEnv = 'LADING_CREDENTIALS';

/** Where the stack lives; without it, see defaultHome (layout.ts). */
export const homeEnv = 'LADING_HOME';
