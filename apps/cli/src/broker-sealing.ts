import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints, sealingContexts } from '@lading/contracts';
import { seal } from '@lading/secrets';
import { callEndpoint } from '@lading/service-kit';

/** The secret-broker's public key: every value the CLI sends is sealed to it first. */
export async function brokerPublicKey(nc: NatsConnection): Promise<string> {
  return (await callEndpoint(nc, endpoints.brokerPublicKey, {})).publicKey;
}

/** Stores a value in the broker's secret store; it crosses NATS only sealed to the broker. */
export async function storeSecret(nc: NatsConnection, publicKey: string, name: string, value: Buffer): Promise<void> {
  await callEndpoint(nc, endpoints.secretsSet, { name, sealed: seal(value, publicKey, sealingContexts.secretValue(name)) });
}
