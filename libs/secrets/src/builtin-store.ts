import { buckets } from '@lading/contracts';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { decodeRecord, encodeRecord, type AtRestCipher } from './at-rest-cipher.js';
import { SecretStoreError } from './errors.js';
import { rewriteKeyWithCas } from './kv-reencrypt.js';
import { assertSecretName } from './secret-name.js';
import type { BuiltinStoreOptions, SecretStore } from './types.js';

/**
 * The built-in store: values encrypted with an AtRestCipher in a JetStream KV bucket. Only
 * ciphertext reaches NATS and its disk; history is 1 and deletes purge, so no old value lingers.
 */
export class BuiltinStore implements SecretStore {
  #cipher: AtRestCipher;
  readonly #previous: AtRestCipher[];

  private constructor(
    private readonly kv: KV,
    cipher: AtRestCipher,
    previous: AtRestCipher[],
  ) {
    this.#cipher = cipher;
    this.#previous = previous;
  }

  /** Opens (creating if needed) the bucket on a connection whose JetStream is enabled. */
  static async open(nc: NatsConnection, cipher: AtRestCipher, options: BuiltinStoreOptions = {}): Promise<BuiltinStore> {
    const bucket = options.bucket ?? buckets.secrets;
    let kv: KV;
    try {
      kv = await new Kvm(nc).create(bucket, { history: 1 });
    } catch (error) {
      throw new SecretStoreError(`Cannot open the secret store bucket ${bucket}: ${(error as Error).message}`);
    }
    return new BuiltinStore(kv, cipher, options.previousCiphers ?? []);
  }

  get keyId(): string {
    return this.#cipher.keyId;
  }

  async get(name: string): Promise<Buffer | undefined> {
    assertSecretName(name);
    const entry = await this.kv.get(name);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return this.#decrypt(name, entry.value);
  }

  async set(name: string, value: Buffer): Promise<void> {
    assertSecretName(name);
    await this.kv.put(name, encodeRecord(this.#cipher.encrypt(name, value)));
  }

  async delete(name: string): Promise<void> {
    assertSecretName(name);
    await this.kv.purge(name);
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    for await (const key of await this.kv.keys()) names.push(key);
    return names.sort();
  }

  /**
   * Re-encrypts every entry with `newCipher`. New writes use the new key from the start; each
   * entry is rewritten with compare-and-set, so a write racing the rotation is kept, not lost.
   * The old cipher stays readable by this instance until the rotation ends.
   */
  async rotate(newCipher: AtRestCipher): Promise<{ rewritten: number }> {
    const old = this.#cipher;
    if (newCipher.keyId !== old.keyId && !this.#previous.some((c) => c.keyId === old.keyId)) this.#previous.push(old);
    this.#cipher = newCipher;
    let rewritten = 0;
    for (const name of await this.list()) {
      const outcome = await rewriteKeyWithCas(this.kv, name, (bytes) => {
        const record = decodeRecord(name, bytes);
        if (record.kid === newCipher.keyId) return undefined;
        return encodeRecord(newCipher.encrypt(name, this.#decrypt(name, bytes)));
      });
      if (outcome === 'rewritten') rewritten += 1;
    }
    this.#previous.length = 0;
    return { rewritten };
  }

  #decrypt(name: string, bytes: Uint8Array): Buffer {
    const record = decodeRecord(name, bytes);
    const cipher = [this.#cipher, ...this.#previous].find((c) => c.keyId === record.kid);
    if (!cipher) {
      throw new SecretStoreError(`Secret ${name} is encrypted with key ${record.kid}, which this store does not hold: configure that key file`);
    }
    return cipher.decrypt(name, record);
  }
}
