import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints, leasePayloadSchema, sealingContexts, signedStatements, type LeasePayload, type RunInput, type RunSubmitRequest } from '@lading/contracts';
import { generateSealingKeyPair, generateSigningKeyPair, open, seal, signStatement } from '@lading/secrets';
import { callEndpoint } from '@lading/service-kit';

/** Asks the broker for a run over NATS as `lading install` does: the input sealed to the broker for this run. */
export async function submitRun(
  nc: NatsConnection,
  brokerPublicKey: string,
  fields: Omit<RunSubmitRequest, 'runId' | 'input' | 'namespace' | 'action' | 'credentialSets' | 'parameterSets'> & Partial<RunSubmitRequest>,
  input: Partial<RunInput> = {},
): Promise<string> {
  const runId = fields.runId ?? randomBytes(12).toString('hex');
  const sealed = seal(Buffer.from(JSON.stringify({ parameters: {}, sources: {}, ...input })), brokerPublicKey, sealingContexts.runInput(runId));
  await callEndpoint(nc, endpoints.runsSubmit, { action: 'install', namespace: '', ...fields, runId, input: sealed });
  return runId;
}

/** A runner over NATS: registers a fresh Ed25519 key, then claims, leases and ends runs with signed statements. */
export async function registerTestRunner(nc: NatsConnection, runnerId = `runner-${randomBytes(3).toString('hex')}`) {
  const keys = generateSigningKeyPair();
  await callEndpoint(nc, endpoints.runnersRegister, { runnerId, publicKey: keys.publicKey });
  const sign = (statement: string) => signStatement(keys.privateKey, statement);
  return {
    runnerId,
    claim: (runId: string) => callEndpoint(nc, endpoints.runsClaim, { runId, runnerId, signature: sign(signedStatements.claim(runId, runnerId)) }),
    finish: (runId: string) => callEndpoint(nc, endpoints.runsFinish, { runId, runnerId, signature: sign(signedStatements.finish(runId, runnerId)) }),
    async lease(runId: string): Promise<LeasePayload> {
      const sealing = generateSealingKeyPair();
      const signature = sign(signedStatements.lease(runId, runnerId, sealing.publicKey));
      const reply = await callEndpoint(nc, endpoints.lease, { runId, runnerId, publicKey: sealing.publicKey, signature });
      return leasePayloadSchema.parse(JSON.parse(open(reply.sealed, sealing.privateKey, sealingContexts.lease(runId)).toString()));
    },
  };
}
