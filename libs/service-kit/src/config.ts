import { readFileSync } from 'node:fs';
import type { ServiceRole } from '@lading/contracts';
import { readSettings, serviceSettings } from './settings/index.js';
import type { ServiceConfig } from './types.js';

/**
 * Reads a service's common configuration from its settings table. The NATS password comes from a
 * file (LADING_NATS_PASSWORD_FILE) so it never sits in a process listing or `env`.
 */
export function readServiceConfig(role: ServiceRole, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const settings = readSettings(serviceSettings, env);
  return {
    role,
    natsUrl: settings.natsUrl,
    natsUser: settings.natsUser,
    natsPassword: settings.natsPasswordFile ? readFileSync(settings.natsPasswordFile, 'utf8').trim() : undefined,
    httpPort: settings.httpPort,
    httpHost: settings.httpHost,
    stateDir: settings.stateDir ?? process.cwd(),
    spansFile: settings.spansFile,
    principalsFile: settings.principalsFile,
  };
}
