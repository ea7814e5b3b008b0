import { natsPermissions, natsRoles } from './nats-permissions.js';
import type { NatsConfigOptions, NatsRole, NatsUser } from './types.js';

/** One user per role, each with its own password and subject permissions. */
export function natsUsers(passwords: Record<NatsRole, string>): NatsUser[] {
  return natsRoles.map((role) => {
    const password = passwords[role];
    if (!password) throw new Error(`no NATS password was given for the ${role} user`);
    return { user: role, password, permissions: natsPermissions(role) };
  });
}

/**
 * The `authorization` block alone, for servers configured elsewhere (tests append it to theirs).
 * Values are JSON strings: nats-server reads JSON, and quoting keeps `$JS...` from being taken
 * for a variable reference.
 */
export function renderNatsAuthorization(passwords: Record<NatsRole, string>): string {
  const users = natsUsers(passwords).map((user) => `    ${JSON.stringify(user)}`);
  return ['authorization {', '  users: [', users.join(',\n'), '  ]', '}'].join('\n');
}

/** A complete nats-server configuration: loopback only, JetStream on disk, one user per role. */
export function renderNatsConfig(options: NatsConfigOptions): string {
  return [
    `listen: ${JSON.stringify(`127.0.0.1:${options.port}`)}`,
    ...(options.monitorPort === undefined ? [] : [`http: ${JSON.stringify(`127.0.0.1:${options.monitorPort}`)}`]),
    `jetstream { store_dir: ${JSON.stringify(options.storeDir)} }`,
    // Build contexts and bundles travel as messages; the default 1 MB is too small.
    'max_payload: 8MB',
    renderNatsAuthorization(options.passwords),
    '',
  ].join('\n');
}
