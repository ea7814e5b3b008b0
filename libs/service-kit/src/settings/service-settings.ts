import { settingsTable, integer, text } from '@lading/contracts/settings';
import { spansFileSetting } from './shared-settings.js';

/** What every service reads: how it finds NATS, where it serves health, where its files go. */
export const serviceSettings = settingsTable({
  natsUrl: { name: 'LADING_NATS_URL', type: text('URL'), default: 'nats://127.0.0.1:4222', meaning: 'the NATS server' },
  natsUser: { name: 'LADING_NATS_USER', type: text(), meaning: "this service's NATS user" },
  natsPasswordFile: { name: 'LADING_NATS_PASSWORD_FILE', type: text('file'), meaning: 'the file holding its NATS password, so it never shows in a process listing' },
  httpPort: { name: 'LADING_HTTP_PORT', type: integer({ min: 0, max: 65535 }), default: '0', meaning: '`/healthz`, `/readyz`, `/metrics`; 0 picks a free port' },
  httpHost: { name: 'LADING_HTTP_HOST', type: text('address'), default: '127.0.0.1', meaning: 'the address the health server binds (`0.0.0.0` on Kubernetes, for probes)' },
  stateDir: { name: 'LADING_STATE_DIR', type: text('directory'), meaning: "the service's own files (keys, runner id); default: the working directory" },
  spansFile: spansFileSetting,
  principalsFile: {
    name: 'LADING_PRINCIPALS_FILE',
    type: text('file'),
    meaning: 'who may act, in which namespaces (read again when it changes); without it only the administrator is known',
  },
});
