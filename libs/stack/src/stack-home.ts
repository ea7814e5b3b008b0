import { adminPrincipal } from '@lading/contracts';
import { stackPaths } from './layout.js';
import { renderNatsAuthorization } from './nats-config.js';
import { prepareDirectories, writePasswords } from './prepare-home.js';
import { writeCredentialsFiles } from './principals.js';
import { serviceRoles } from './nats-permissions.js';
import { writeStackFile, type StackFile } from './stack-file.js';
import type { NatsPasswords } from './types.js';

export interface PreparedHome {
  passwords: NatsPasswords;
  /** The `accounts` block for a nats-server that this home's users log in to. */
  authorization: string;
}

/**
 * A LADING_HOME for services and a CLI on a NATS server started elsewhere (tests, benchmarks):
 * passwords, the principals file with the administrator, state folders. After the server is up,
 * `recordStack` writes where it listens.
 */
export async function prepareStackHome(home: string): Promise<PreparedHome> {
  const paths = stackPaths(home);
  await prepareDirectories(paths, serviceRoles);
  const passwords = await writePasswords(paths);
  return { passwords, authorization: renderNatsAuthorization(passwords) };
}

/** Writes the credentials files and stack.json of a home prepared with `prepareStackHome`. */
export async function recordStack(
  home: string,
  passwords: NatsPasswords,
  where: { natsUrl: string; frontDoor: string; upstream: string; processes?: StackFile['processes'] },
): Promise<void> {
  const paths = stackPaths(home);
  await writeCredentialsFiles(paths, passwords.principals, { natsUrl: where.natsUrl, frontDoor: where.frontDoor });
  await writeStackFile(home, {
    natsUrl: where.natsUrl,
    frontDoor: where.frontDoor,
    upstream: where.upstream,
    admin: { user: adminPrincipal, credentialsFile: paths.credentialsFile(adminPrincipal) },
    processes: where.processes ?? {},
    startedAt: new Date().toISOString(),
  });
}
