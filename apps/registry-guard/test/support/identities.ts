import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsAccounts, subjects } from '@lading/contracts';
import { passwordVerifier } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { startNatsServer, type TestNatsServer } from '@lading/testkit';
import type { NatsConnection } from '@nats-io/nats-core';

/** The service users of the services account, and the people of the people account, as the identity model has them. */
export const serviceUsers = ['guard', 'builder', 'runner', 'broker'] as const;
export const people = { admin: ['*'], alice: ['team-a'], bob: ['bundles'] } as const;
export type ServiceUser = (typeof serviceUsers)[number];
export type Person = keyof typeof people;

export interface Identities {
  nats: TestNatsServer;
  /** The principals file the guard reads (LADING_PRINCIPALS_FILE). */
  principalsFile: string;
  password(user: ServiceUser | Person | 'test'): string;
  /** Where a user's password is kept, mode 0600, as `lading up` hands passwords over. */
  passwordFile(user: ServiceUser | Person | 'test'): string;
  /** A NATS connection as that user; `test` is a services-account user for the ledger. */
  connect(user: ServiceUser | Person | 'test'): Promise<NatsConnection>;
  /** The guard process's NATS and principals settings. */
  guardEnv(): Record<string, string>;
  stop(): Promise<void>;
}

/** The guard's endpoints people may call: the services account exports them, the people account imports them with request info. */
const peopleEndpoints = [subjects.guard.publish, subjects.guard.tagAudit, subjects.guard.tagDrift];

/**
 * A real nats-server with the two accounts of the identity model, so that requests from people
 * carry the Nats-Request-Info stamp nats-server writes, and requests from services carry none.
 */
export async function startIdentities(): Promise<Identities> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-identities-'));
  const users = [...serviceUsers, 'test', ...Object.keys(people)] as Array<ServiceUser | Person | 'test'>;
  const passwords = Object.fromEntries(users.map((user) => [user, randomBytes(12).toString('base64url')])) as Record<string, string>;
  for (const user of users) await writeFile(join(dir, `${user}.password`), `${passwords[user]}\n`, { mode: 0o600 });
  const entry = (user: string) => ({ user, password: passwords[user] });
  const accounts = {
    [natsAccounts.services]: {
      jetstream: 'enabled',
      users: [...serviceUsers, 'test'].map(entry),
      exports: peopleEndpoints.map((subject) => ({ service: subject })),
    },
    [natsAccounts.people]: {
      users: Object.keys(people).map(entry),
      imports: peopleEndpoints.map((subject) => ({ service: { account: natsAccounts.services, subject }, share: true })),
    },
  };
  const nats = await startNatsServer(`accounts: ${JSON.stringify(accounts)}`);
  const principalsFile = join(dir, 'principals.json');
  const principals = Object.fromEntries(
    Object.entries(people).map(([name, namespaces]) => [name, { namespaces, passwordVerifier: passwordVerifier(passwords[name]!) }]),
  );
  await writeFile(principalsFile, JSON.stringify({ principals }), { mode: 0o600 });
  const passwordFile = (user: string) => join(dir, `${user}.password`);
  return {
    nats,
    principalsFile,
    password: (user) => passwords[user]!,
    passwordFile,
    connect: (user) => connectToNats({ natsUrl: nats.url, natsUser: user, natsPassword: passwords[user], name: `test-${user}` }),
    guardEnv: () => ({
      LADING_NATS_USER: 'guard',
      LADING_NATS_PASSWORD_FILE: passwordFile('guard'),
      LADING_PRINCIPALS_FILE: principalsFile,
    }),
    async stop() {
      await nats.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
