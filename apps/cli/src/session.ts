import type { NatsConnection } from '@nats-io/nats-core';
import { defaultHome, readStackFile, type StackFile } from '@lading/stack';
import { connectToNats } from '@lading/service-kit';
import { initTelemetry } from '@lading/telemetry';
import { readFileSync } from 'node:fs';
import { UserError } from './user-error.js';

export function ladingHome(): string {
  return defaultHome();
}

export interface Session {
  stack: StackFile;
  nc: NatsConnection;
  close(): Promise<void>;
}

let telemetryStarted = false;

/** Connects to the running stack as the CLI's own NATS user, as recorded by `lading up`. */
export async function openSession(): Promise<Session> {
  const home = ladingHome();
  const stack = await readStackFile(home).catch(() => undefined);
  if (!stack) throw new UserError(`no Lading stack is running (nothing in ${home}): start one with \`lading up\``);
  if (!telemetryStarted) {
    initTelemetry({ serviceName: 'lading-cli', spansFile: process.env.LADING_SPANS_FILE });
    telemetryStarted = true;
  }
  const password = readFileSync(stack.cli.passwordFile, 'utf8').trim();
  const nc = await connectToNats({
    natsUrl: stack.natsUrl,
    natsUser: stack.cli.user,
    natsPassword: password,
    name: 'lading-cli',
    maxReconnectAttempts: 5,
  }).catch(
    (error: Error) => {
      throw new UserError(error.message);
    },
  );
  return { stack, nc, close: () => nc.close() };
}

/** Opens a session, runs `work`, and always closes the connection. */
export async function withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
  const session = await openSession();
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
