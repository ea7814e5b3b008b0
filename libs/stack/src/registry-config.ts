import { mkdir } from 'node:fs/promises';
import bcrypt from 'bcryptjs';
import type { StackPaths } from './layout.js';
import { passwordVerifier } from '@lading/service-kit';
import { randomSecret } from './prepare-home.js';
import { ensurePrivateDir, writePrivateFile } from './private-files.js';
import { builderRegistryUser, upstreamUser } from './services.js';
import type { StackPorts } from './types.js';

/**
 * bcrypt cost of the upstream verifier. docker-registry checks it on every request, so a high cost
 * would tax every blob and manifest; the password is 192 random bits, which no cost factor is
 * needed to protect.
 */
const verifierCost = 4;

export function renderRegistryConfig(port: number, dataDir: string, secret: string, htpasswd: string): string {
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
    // And only the guard holds a credential: whatever else reaches the port is answered 401.
    'auth:',
    '  htpasswd:',
    '    realm: lading-upstream',
    `    path: ${JSON.stringify(htpasswd)}`,
    '',
  ].join('\n');
}

/**
 * The upstream registry's configuration and its one credential: a fresh random password for the
 * guard (mode 0600, handed to the guard alone by file) and its bcrypt verifier for docker-registry.
 */
export async function writeRegistryConfig(paths: StackPaths, ports: StackPorts): Promise<void> {
  await ensurePrivateDir(paths.registryDir);
  await mkdir(paths.registryData, { recursive: true, mode: 0o700 });
  await ensurePrivateDir(paths.secretsDir);
  const password = randomSecret();
  await writePrivateFile(paths.upstreamPasswordFile, `${password}\n`);
  await writePrivateFile(paths.registryHtpasswd, `${upstreamUser}:${bcrypt.hashSync(password, verifierCost)}\n`);
  await writePrivateFile(
    paths.registryConfig,
    renderRegistryConfig(ports.upstream, paths.registryData, randomSecret(), paths.registryHtpasswd),
  );
  // The builder's login at the front door: the builder gets the password, the guard its verifier.
  const builderPassword = randomSecret();
  await writePrivateFile(paths.builderRegistryPasswordFile, `${builderPassword}\n`);
  await writePrivateFile(paths.contentPushersFile, JSON.stringify({ [builderRegistryUser]: passwordVerifier(builderPassword) }));
}
