import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ServiceRole } from '@lading/contracts';
import { cliSettings, readSetting } from '@lading/service-kit/settings';
import type { StackPorts } from './types.js';

export const defaultPorts: StackPorts = { nats: 4222, upstream: 5001, guard: 5000 };

/**
 * Root's stack home, where system daemons keep their state: the stack's own users can enter it,
 * which they cannot do under /root (0700), so a stack started as root really runs without root.
 */
export const rootStackHome = '/var/lib/lading';

/** $LADING_HOME; else /var/lib/lading for root and ~/.lading for everyone else. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, uid: number | undefined = process.getuid?.()): string {
  return readSetting(cliSettings.home, env) ?? (uid === 0 ? rootStackHome : join(homedir(), '.lading'));
}

/** Where every file of the embedded stack lives under its home directory. */
export function stackPaths(home: string) {
  return {
    home,
    stackFile: join(home, 'stack.json'),
    secretsDir: join(home, 'secrets'),
    passwordFile: (role: ServiceRole) => join(home, 'secrets', `nats-${role}.password`),
    /** Every principal's NATS password (0600), so the server configuration can be written again. */
    principalPasswords: join(home, 'secrets', 'principals.json'),
    /** Who may act and where, with password verifiers: read by the services. */
    principalsFile: join(home, 'principals.json'),
    principalsDir: join(home, 'principals'),
    credentialsFile: (principal: string) => join(home, 'principals', `${principal}.credentials.json`),
    /** The NATS accounts and users, included by nats.conf so principals can change on a reload. */
    natsAccounts: join(home, 'nats', 'accounts.conf'),
    natsDir: join(home, 'nats'),
    natsConfig: join(home, 'nats', 'nats.conf'),
    natsStore: join(home, 'nats', 'jetstream'),
    registryDir: join(home, 'registry'),
    registryConfig: join(home, 'registry', 'config.yml'),
    registryData: join(home, 'registry', 'data'),
    /** bcrypt verifier of the one upstream credential, the guard's. */
    registryHtpasswd: join(home, 'registry', 'htpasswd'),
    /** The guard's upstream password: only the guard is given this file. */
    upstreamPasswordFile: join(home, 'secrets', 'upstream-registry.password'),
    /** The builder's password at the front door, and the verifier of it the guard checks. */
    builderRegistryPasswordFile: join(home, 'secrets', 'builder-registry.password'),
    contentPushersFile: join(home, 'registry', 'content-pushers.json'),
    /** The broker's own copy of a file the operator named for it (a Vault token), when it runs as its own user. */
    brokerCopyOf: (variable: string) => join(home, 'secrets', `broker-${variable.toLowerCase().replaceAll('_', '-')}`),
    keysDir: join(home, 'keys'),
    brokerKey: join(home, 'keys', 'broker.key'),
    storeKey: join(home, 'keys', 'store.key'),
    logsDir: join(home, 'logs'),
    log: (name: string) => join(home, 'logs', `${name}.log`),
    spansFile: (role: ServiceRole) => join(home, 'logs', `spans-${role}.jsonl`),
    /** The command's own spans, next to the services': `installations runs --trace` reads them all. */
    cliSpansFile: join(home, 'logs', 'spans-cli.jsonl'),
    stateDir: (role: ServiceRole) => join(home, 'state', role),
    /** The copies of the compiled services that run, one folder each: readable by the stack's users wherever the checkout is. */
    servicesDir: join(home, 'services'),
    serviceCode: (role: ServiceRole) => join(home, 'services', role),
  };
}

export type StackPaths = ReturnType<typeof stackPaths>;
