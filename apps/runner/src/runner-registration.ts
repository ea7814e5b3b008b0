import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints } from '@lading/contracts';
import { generateSigningKeyPair, signStatement } from '@lading/secrets';
import { callEndpoint, RemoteFailure, type Logger } from '@lading/service-kit';

export interface RunnerIdentity {
  runnerId: string;
  sign(statement: string): string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes this runner's Ed25519 key pair (memory only) and registers its public half with the
 * broker, on a subject only runners may use. A runner that starts before the broker waits for it.
 */
export async function registerRunnerIdentity(nc: NatsConnection, runnerId: string, logger: Logger): Promise<RunnerIdentity> {
  const keys = generateSigningKeyPair();
  for (let attempt = 0; ; attempt++) {
    try {
      await callEndpoint(nc, endpoints.runnersRegister, { runnerId, publicKey: keys.publicKey }, { timeoutMs: 5_000 });
      break;
    } catch (error) {
      if (!(error instanceof RemoteFailure) || error.code !== 'internal' || attempt >= 120) throw error;
      if (attempt === 0) logger.warn('waiting for the secret-broker to register this runner', { runnerId });
      // Asking again is the only way to learn the broker is up: NATS answers "no responders" and
      // sends nothing when a responder subscribes later, and a runner may not listen to the
      // broker's service-discovery replies before it is registered.
      await sleep(500);
    }
  }
  return { runnerId, sign: (statement) => signStatement(keys.privateKey, statement) };
}
