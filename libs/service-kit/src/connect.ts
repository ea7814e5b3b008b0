import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { inboxPrefix } from '@lading/contracts';
import { CodedError } from '@lading/contracts/errors';

export interface NatsAccess {
  natsUrl: string;
  natsUser?: string;
  natsPassword?: string;
  name: string;
  /** Services reconnect for ever; a command gives up after a few attempts and says so. */
  maxReconnectAttempts?: number;
}

/** Connects to NATS, turning a refused or unauthorised connection into one clear sentence. */
export async function connectToNats(access: NatsAccess): Promise<NatsConnection> {
  try {
    return await connect({
      servers: access.natsUrl,
      user: access.natsUser,
      pass: access.natsPassword,
      name: access.name,
      // Each user may listen only below its own inbox prefix, so nobody reads another's replies.
      inboxPrefix: access.natsUser ? inboxPrefix(access.natsUser) : undefined,
      maxReconnectAttempts: access.maxReconnectAttempts ?? -1,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CodedError('upstream_failed', `cannot connect to NATS at ${access.natsUrl} (${reason}): is the stack up? Try \`lading up\``, {
      cause: error,
    });
  }
}
