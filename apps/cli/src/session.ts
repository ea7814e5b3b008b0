import type { NatsConnection } from '@nats-io/nats-core';
import { defaultHome, readCredentialsFile, readStackFile, type CredentialsFile } from '@lading/stack/home';
import { cliSettings, readSetting } from '@lading/service-kit/settings';
import { connectToNats } from '@lading/service-kit/client';
import { credentialsFileOption } from './credentials-option.js';
import { UserError } from './user-error.js';

export function ladingHome(): string {
  return defaultHome();
}

export interface Session {
  /** Who this session acts as, and where the stack is. */
  credentials: CredentialsFile;
  nc: NatsConnection;
  close(): Promise<void>;
}


/**
 * The credentials of this command: the file given with `--credentials` or `LADING_CREDENTIALS`,
 * else the administrator's, as the running stack in LADING_HOME records them.
 */
export async function sessionCredentials(): Promise<CredentialsFile> {
  const file = credentialsFileOption() ?? readSetting(cliSettings.credentials, process.env);
  if (file) return readCredentialsFile(file).catch((error: Error) => Promise.reject(new UserError(error.message)));
  const home = ladingHome();
  const stack = await readStackFile(home).catch(() => undefined);
  if (!stack) throw new UserError(`no Lading stack is running (nothing in ${home}): start one with \`lading up\`, or give --credentials`);
  return readCredentialsFile(stack.admin.credentialsFile).catch((error: Error) => Promise.reject(new UserError(error.message)));
}

/** Connects to the stack as this command's principal. */
export async function openSession(): Promise<Session> {
  const credentials = await sessionCredentials();
  const nc = await connectToNats({
    natsUrl: credentials.natsUrl,
    natsUser: credentials.principal,
    natsPassword: credentials.password,
    name: 'lading-cli',
    maxReconnectAttempts: 5,
  }).catch((error: Error) => {
    throw new UserError(error.message);
  });
  return { credentials, nc, close: () => nc.close() };
}

/**
 * Opens a session, runs `work`, and always closes the connection. A command that has other work
 * to do first passes the session it began opening beforehand (see `openSessionEarly`).
 */
export async function withSession<T>(work: (session: Session) => Promise<T>, opening: Promise<Session> = openSession()): Promise<T> {
  const session = await opening;
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

/**
 * Begins connecting now, so that the connection is made while the command does other work; the
 * command hands the promise to `withSession`, or to `abandonSession` if it stops before.
 */
export function openSessionEarly(): Promise<Session> {
  const opening = openSession();
  // Its failure is reported where the session is used; until then it must not count as unhandled.
  opening.catch(() => undefined);
  return opening;
}

/** Closes a session begun early by a command that stopped before using it. */
export function abandonSession(opening: Promise<Session>): void {
  opening.then((session) => session.close()).catch(() => undefined);
}
