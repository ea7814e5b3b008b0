import { readFileSync } from 'node:fs';
import type { ServiceRole } from '@lading/contracts';
import type { ServiceConfig } from './types.js';

/**
 * Reads a service's configuration from LADING_* environment variables. The NATS password comes
 * from a file (LADING_NATS_PASSWORD_FILE) so it never sits in a process listing or `env`.
 */
export function readServiceConfig(role: ServiceRole, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const passwordFile = env.LADING_NATS_PASSWORD_FILE;
  return {
    role,
    natsUrl: env.LADING_NATS_URL ?? 'nats://127.0.0.1:4222',
    natsUser: env.LADING_NATS_USER,
    natsPassword: passwordFile ? readFileSync(passwordFile, 'utf8').trim() : undefined,
    httpPort: Number(env.LADING_HTTP_PORT ?? 0),
    httpHost: env.LADING_HTTP_HOST ?? '127.0.0.1',
    stateDir: env.LADING_STATE_DIR ?? process.cwd(),
    spansFile: env.LADING_SPANS_FILE,
  };
}
