import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SecretStoreError } from './errors.js';
import { AT_REST_KEY_BYTES, readKeyFile } from './key-file.js';
import type { AtRestRecord } from './types.js';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for values at rest. The secret name is the additional data, so a record copied
 * under another name does not decrypt; the key id in each record lets a rotation find the
 * records still under an old key.
 */
export class AtRestCipher {
  /** First 8 bytes of SHA-256 of the key, hex: identifies a key without revealing it. */
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== AT_REST_KEY_BYTES) {
      throw new SecretStoreError(`An at-rest key must be ${AT_REST_KEY_BYTES} bytes, not ${key.length}`);
    }
    this.#key = Buffer.from(key);
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  static async fromKeyFile(path: string): Promise<AtRestCipher> {
    return new AtRestCipher(await readKeyFile(path));
  }

  encrypt(name: string, plaintext: Buffer): AtRestRecord {
    const iv = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { v: 1, kid: this.keyId, iv: iv.toString('base64'), ct: ct.toString('base64') };
  }

  decrypt(name: string, record: AtRestRecord): Buffer {
    if (record.kid !== this.keyId) {
      throw new SecretStoreError(`Secret ${name} is encrypted with key ${record.kid}, not with key ${this.keyId}`);
    }
    const iv = Buffer.from(record.iv, 'base64');
    const sealed = Buffer.from(record.ct, 'base64');
    try {
      if (iv.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new Error('malformed');
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAAD(Buffer.from(name, 'utf8'));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SecretStoreError(`Secret ${name} does not decrypt: its record was altered or moved from another name`);
    }
  }
}

export function encodeRecord(record: AtRestRecord): Uint8Array {
  return Buffer.from(JSON.stringify(record), 'utf8');
}

export function decodeRecord(name: string, bytes: Uint8Array): AtRestRecord {
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<AtRestRecord>;
    if (parsed.v === 1 && typeof parsed.kid === 'string' && typeof parsed.iv === 'string' && typeof parsed.ct === 'string') {
      return parsed as AtRestRecord;
    }
  } catch {
    // fall through to the one error below
  }
  throw new SecretStoreError(`Secret ${name} is not a valid encrypted record`);
}
