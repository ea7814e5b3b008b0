import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { ServiceRole } from '@lading/contracts';
import type { StackPaths } from './layout.js';
import { renderNatsConfig } from './nats-config.js';
import { natsRoles } from './nats-permissions.js';
import { ensurePrivateDir, writePrivateFile } from './private-files.js';
import type { NatsRole, StackPorts } from './types.js';

/** 24 random bytes, base64url: a password or secret nobody has to type. */
export function randomSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Fresh random passwords, one file of mode 0600 per NATS user. */
export async function writePasswords(paths: StackPaths): Promise<Record<NatsRole, string>> {
  await ensurePrivateDir(paths.secretsDir);
  const passwords = Object.fromEntries(natsRoles.map((role) => [role, randomSecret()])) as Record<NatsRole, string>;
  for (const role of natsRoles) await writePrivateFile(paths.passwordFile(role), `${passwords[role]}\n`);
  return passwords;
}

export async function writeNatsConfig(
  paths: StackPaths,
  ports: StackPorts,
  monitorPort: number,
  passwords: Record<NatsRole, string>,
): Promise<void> {
  await ensurePrivateDir(paths.natsDir);
  await mkdir(paths.natsStore, { recursive: true, mode: 0o700 });
  const config = renderNatsConfig({ port: ports.nats, storeDir: paths.natsStore, passwords, monitorPort });
  await writePrivateFile(paths.natsConfig, config);
}

/** Home, logs, keys (0700; the broker creates its key files there) and each service's state folder. */
export async function prepareDirectories(paths: StackPaths, roles: readonly ServiceRole[]): Promise<void> {
  await ensurePrivateDir(paths.home);
  await ensurePrivateDir(paths.logsDir);
  await ensurePrivateDir(paths.keysDir);
  for (const role of roles) await mkdir(paths.stateDir(role), { recursive: true, mode: 0o700 });
}
