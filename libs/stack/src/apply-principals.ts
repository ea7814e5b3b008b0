import { readFile } from 'node:fs/promises';
import { serviceRoles } from './nats-permissions.js';
import { stackPaths } from './layout.js';
import { readPrincipalPasswords } from './principals.js';
import { writeNatsAccounts } from './prepare-home.js';
import { infrastructureNames } from './services.js';
import { readStackFile } from './stack-file.js';
import type { NatsPasswords } from './types.js';
import { CodedError } from '@lading/contracts/errors';

/**
 * Writes the NATS accounts again from the principals now on file and has the running
 * nats-server reload them (SIGHUP): a new principal can log in, a removed one no longer can.
 * Returns false when no stack is running (the next `lading up` picks the change up).
 */
export async function applyPrincipals(home: string): Promise<boolean> {
  const paths = stackPaths(home);
  const stack = await readStackFile(home);
  const nats = stack?.processes[infrastructureNames.nats];
  if (!stack || !nats) return false;
  const services = {} as NatsPasswords['services'];
  for (const role of serviceRoles) services[role] = (await readFile(paths.passwordFile(role), 'utf8')).trim();
  await writeNatsAccounts(paths, { services, principals: await readPrincipalPasswords(paths) });
  try {
    process.kill(nats.pid, 'SIGHUP');
  } catch (error) {
    throw new CodedError('upstream_failed', `cannot tell nats-server (pid ${nats.pid}) to reload: ${(error as Error).message}`, { cause: error });
  }
  return true;
}
