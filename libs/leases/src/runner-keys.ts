import type { KV } from '@nats-io/kv';
import { z } from 'zod';
import { isSigningPublicKey, verifyStatement } from '@lading/secrets';
import { JsonBucket } from '@lading/store';
import { LeaseRefusedError } from './lease-refused.js';

const registrationSchema = z.object({ runnerId: z.string(), publicKey: z.string(), registeredAt: z.string() });

/**
 * The Ed25519 public key each runner registered when it started. A runner that starts again
 * (or a new one an autoscaler adds) registers its new key under its id; runs it already claimed
 * stay bound to the key that signed the claim (kept in the admission), not to this table.
 */
export class RunnerKeys {
  private readonly bucket: JsonBucket<typeof registrationSchema>;

  constructor(kv: KV) {
    this.bucket = new JsonBucket(kv, registrationSchema, 'runner key');
  }

  async register(runnerId: string, publicKey: string): Promise<void> {
    if (!isSigningPublicKey(publicKey)) throw new LeaseRefusedError('invalid_request', `runner ${runnerId} offered a key that is not an Ed25519 public key`);
    await this.bucket.put(runnerId, { runnerId, publicKey, registeredAt: new Date().toISOString() });
  }

  /** The key `runnerId` registered, if `signature` of `statement` verifies with it; refuses otherwise. */
  async verified(runnerId: string, statement: string, signature: string): Promise<string> {
    const registered = (await this.bucket.get(runnerId))?.value;
    if (!registered) throw new LeaseRefusedError('forbidden', `runner ${runnerId} has not registered a key`);
    if (!verifyStatement(registered.publicKey, statement, signature)) {
      throw new LeaseRefusedError('forbidden', `the signature is not runner ${runnerId}'s`);
    }
    return registered.publicKey;
  }
}
