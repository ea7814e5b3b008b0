import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ServiceRole } from '@lading/contracts';
import type { StackPaths } from './layout.js';
import { renderNatsAuthorization, renderNatsServerConfig } from './nats-config.js';
import { serviceRoles } from './nats-permissions.js';
import { ensureAdministrator } from './principals.js';
import { ensurePrivateDir, writePrivateFile } from './private-files.js';
import type { NatsPasswords, StackPorts } from './types.js';

function randomSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Fresh random passwords for the services, one file of mode 0600 each, and the principals'
 * passwords, kept from earlier stacks so their credentials files stay valid.
 */
export async function writePasswords(paths: StackPaths): Promise<NatsPasswords> {
  await ensurePrivateDir(paths.secretsDir);
  const services = Object.fromEntries(serviceRoles.map((role) => [role, randomSecret()])) as NatsPasswords['services'];
  for (const role of serviceRoles) await writePrivateFile(paths.passwordFile(role), `${services[role]}\n`);
  return { services, principals: await ensureAdministrator(paths) };
}

/** nats.conf, and the accounts file it includes (written again when principals change). */
export async function writeNatsConfig(
  paths: StackPaths,
  ports: StackPorts,
  monitorPort: number,
  passwords: NatsPasswords,
): Promise<void> {
  await ensurePrivateDir(paths.natsDir);
  await mkdir(paths.natsStore, { recursive: true, mode: 0o700 });
  await writeNatsAccounts(paths, passwords);
  const config = renderNatsServerConfig({ port: ports.nats, storeDir: paths.natsStore, monitorPort, accountsFile: basename(paths.natsAccounts) });
  await writePrivateFile(paths.natsConfig, config);
}

export async function writeNatsAccounts(paths: StackPaths, passwords: NatsPasswords): Promise<void> {
  await writePrivateFile(paths.natsAccounts, `${renderNatsAuthorization(passwords)}\n`);
}

export function renderRegistryConfig(port: number, dataDir: string, secret: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(dataDir)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    // Loopback only: users reach images through the guard's front door.
    `  addr: ${JSON.stringify(`127.0.0.1:${port}`)}`,
    `  secret: ${JSON.stringify(secret)}`,
    '',
  ].join('\n');
}

export async function writeRegistryConfig(paths: StackPaths, ports: StackPorts): Promise<void> {
  await ensurePrivateDir(paths.registryDir);
  await mkdir(paths.registryData, { recursive: true, mode: 0o700 });
  await writePrivateFile(paths.registryConfig, renderRegistryConfig(ports.upstream, paths.registryData, randomSecret()));
}

/** Home, logs, keys (0700; the broker creates its key files there) and each service's state folder. */
export async function prepareDirectories(paths: StackPaths, roles: readonly ServiceRole[]): Promise<void> {
  await ensurePrivateDir(paths.home);
  await ensurePrivateDir(paths.logsDir);
  await ensurePrivateDir(paths.keysDir);
  for (const role of roles) await mkdir(paths.stateDir(role), { recursive: true, mode: 0o700 });
}
