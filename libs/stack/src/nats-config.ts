import { adminPrincipal, natsAccounts, subjects } from '@lading/contracts';
import { peopleImportSubjects, principalPermissions, servicePermissions, serviceRoles } from './nats-permissions.js';
import type { NatsConfigOptions, NatsPasswords, NatsUser } from './types.js';

/** The services account's users: one per role, each with its own password and allow-list. */
export function serviceUsers(passwords: NatsPasswords): NatsUser[] {
  return serviceRoles.map((role) => {
    const password = passwords.services[role];
    if (!password) throw new Error(`no NATS password was given for the ${role} user`);
    return { user: role, password, permissions: servicePermissions(role) };
  });
}

/** The people account's users: one per principal, the administrator always among them. */
export function principalUsers(passwords: NatsPasswords): NatsUser[] {
  if (!passwords.principals[adminPrincipal]) throw new Error(`no NATS password was given for the ${adminPrincipal} principal`);
  return Object.entries(passwords.principals).map(([principal, password]) => ({
    user: principal,
    password,
    permissions: principalPermissions(principal),
  }));
}

/**
 * The `accounts` block: services in one account (JetStream on), people in another that imports
 * only the endpoints people may call, with request info shared so each service learns the
 * caller, and the run events stream. Values are JSON: nats-server reads JSON, and quoting keeps
 * `$JS...` from being taken for a variable reference.
 */
export function renderNatsAuthorization(passwords: NatsPasswords): string {
  const exported = peopleImportSubjects();
  const services = {
    jetstream: 'enabled',
    users: serviceUsers(passwords),
    exports: [...exported.map((subject) => ({ service: subject })), { stream: subjects.runs.eventsAll }],
  };
  const people = {
    users: principalUsers(passwords),
    imports: [
      ...exported.map((subject) => ({ service: { account: natsAccounts.services, subject }, share: true })),
      { stream: { account: natsAccounts.services, subject: subjects.runs.eventsAll } },
    ],
  };
  return [
    'accounts {',
    `  ${natsAccounts.services}: ${JSON.stringify(services)}`,
    `  ${natsAccounts.people}: ${JSON.stringify(people)}`,
    '}',
  ].join('\n');
}

function serverLines(options: Omit<NatsConfigOptions, 'passwords'>): string[] {
  return [
    `listen: ${JSON.stringify(`127.0.0.1:${options.port}`)}`,
    ...(options.monitorPort === undefined ? [] : [`http: ${JSON.stringify(`127.0.0.1:${options.monitorPort}`)}`]),
    `jetstream { store_dir: ${JSON.stringify(options.storeDir)} }`,
    // Build contexts and bundles travel as messages; the default 1 MB is too small.
    'max_payload: 8MB',
  ];
}

/**
 * A nats-server configuration: loopback only, JetStream on disk, the two accounts in a file of
 * their own (named relative to nats.conf, as nats-server resolves includes) so that a reload can
 * change principals.
 */
export function renderNatsServerConfig(options: Omit<NatsConfigOptions, 'passwords'> & { accountsFile: string }): string {
  return [...serverLines(options), `include ${JSON.stringify(options.accountsFile)}`, ''].join('\n');
}
