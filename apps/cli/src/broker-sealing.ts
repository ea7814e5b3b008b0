import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints, sealingContexts } from '@lading/contracts';
import { namespacedSecretName, seal } from '@lading/secrets';
import { callEndpoint } from '@lading/service-kit/client';

/** The secret-broker's public key: every value the CLI sends is sealed to it first. */
export async function brokerPublicKey(nc: NatsConnection): Promise<string> {
  return (await callEndpoint(nc, endpoints.brokerPublicKey, {})).publicKey;
}

/**
 * Stores a value in the broker's secret store under a namespace; it crosses NATS only sealed to
 * the broker, bound to the name it is stored under.
 */
export async function storeSecret(nc: NatsConnection, publicKey: string, name: string, value: Buffer, namespace = ''): Promise<void> {
  const sealed = seal(value, publicKey, sealingContexts.secretValue(namespacedSecretName(namespace, name)));
  await callEndpoint(nc, endpoints.secretsSet, { name, namespace, sealed });
}
