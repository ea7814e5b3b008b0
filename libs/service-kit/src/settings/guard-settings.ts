import { settingsTable, boolean, integer, list, text, url } from '@lading/contracts/settings';
import { allowedRegistriesSetting, hostnameSetting } from './shared-settings.js';

/** What registry-guard reads besides the common settings. */
export const guardSettings = settingsTable({
  upstreamRegistry: { name: 'LADING_UPSTREAM_REGISTRY', type: url(), default: 'http://127.0.0.1:5001', meaning: 'the registry it fronts (plain HTTP on loopback; terminate TLS in front of it)' },
  upstreamUser: { name: 'LADING_UPSTREAM_USER', type: text(), meaning: "the guard's own account at the upstream, the only account it has" },
  upstreamPasswordFile: { name: 'LADING_UPSTREAM_PASSWORD_FILE', type: text('file'), meaning: "that account's password, in a file of mode 0600" },
  port: { name: 'LADING_GUARD_PORT', type: integer({ min: 1, max: 65535 }), default: '5000', meaning: 'the front door port users push and pull through' },
  host: { name: 'LADING_GUARD_HOST', type: text('address'), default: '127.0.0.1', meaning: 'the address the front door binds' },
  publicHost: { name: 'LADING_GUARD_PUBLIC_HOST', type: text('host:port'), meaning: 'the host name bundles use for the front door; default: 127.0.0.1 and the front door port' },
  forcePrincipals: { name: 'LADING_FORCE_PRINCIPALS', type: list('comma-separated names'), default: 'admin', meaning: 'the principals who may force a tag overwrite' },
  contentPushersFile: {
    name: 'LADING_GUARD_CONTENT_PUSHERS_FILE',
    type: text('file'),
    meaning: 'services that push content by digest only (JSON name → password verifier)',
  },
  anonymousRead: { name: 'LADING_GUARD_ANONYMOUS_READ', type: boolean(), default: 'true', meaning: 'whether clients without credentials may read' },
  headerTimeoutMs: { name: 'LADING_GUARD_HEADER_TIMEOUT_MS', type: integer({ min: 1, unit: 'milliseconds' }), meaning: "how long a request head may take; default: the front door's own (10000)" },
  maxConnectionsPerClient: {
    name: 'LADING_GUARD_MAX_CONNECTIONS_PER_CLIENT',
    type: integer({ min: 1, unit: 'connections' }),
    meaning: "open connections per client address; default: the front door's own (512)",
  },
  reservationTtlMs: {
    name: 'LADING_GUARD_RESERVATION_TTL_MS',
    type: integer({ min: 1, unit: 'milliseconds' }),
    meaning: "how long a dead guard's tag reservation lasts; default: the ledger's own (30000)",
  },
  allowedRegistries: allowedRegistriesSetting,
  hostname: hostnameSetting,
});
