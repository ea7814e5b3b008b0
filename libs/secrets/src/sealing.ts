import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import type { SealedBox } from '@lading/contracts';
import { SealError } from './errors.js';
import type { SealingKeyPair } from './types.js';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const REFUSAL =
  'The sealed value could not be opened: it was altered, sealed to another key, or sealed for another purpose';

export function generateSealingKeyPair(): SealingKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: rawPublicKey(publicKey).toString('base64') };
}

/** The public half of a private key, in the raw base64 form peers exchange. */
export function sealingPublicKey(privateKey: KeyObject): string {
  return rawPublicKey(createPublicKey(privateKey)).toString('base64');
}

/**
 * Seals `plaintext` so only the holder of the recipient's private key can open it, and only for
 * the same `context` (e.g. `lease:<runId>`): a box lifted into another purpose does not open.
 */
export function seal(plaintext: Buffer, recipientPublicKey: string, context: string): SealedBox {
  const recipientRaw = decodeRawPublicKey(recipientPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = rawPublicKey(ephemeral.publicKey);
  const key = deriveKey(ephemeral.privateKey, recipientRaw, ephemeralRaw, recipientRaw, context);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  key.fill(0);
  return {
    ephemeralPublicKey: ephemeralRaw.toString('base64'),
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

export function open(box: SealedBox, privateKey: KeyObject, context: string): Buffer {
  if (privateKey.asymmetricKeyType !== 'x25519' || privateKey.type !== 'private') {
    throw new SealError('Opening a sealed value needs an X25519 private key');
  }
  const ephemeralRaw = decodeRawPublicKey(box.ephemeralPublicKey);
  const nonce = Buffer.from(box.nonce, 'base64');
  const sealed = Buffer.from(box.ciphertext, 'base64');
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new SealError(REFUSAL);
  const recipientRaw = rawPublicKey(createPublicKey(privateKey));
  let key: Buffer;
  try {
    key = deriveKey(privateKey, ephemeralRaw, ephemeralRaw, recipientRaw, context);
  } catch {
    // A low-order ephemeral point makes the shared secret all zeros: OpenSSL refuses it.
    throw new SealError(REFUSAL);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealError(REFUSAL);
  } finally {
    key.fill(0);
  }
}

/** PKCS#8 PEM, for the broker's long-lived key file (which the caller writes with mode 0600). */
export function exportPrivateKey(privateKey: KeyObject): string {
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function importPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new SealError('The sealing private key is not a valid PKCS#8 PEM key: regenerate the key file');
  }
  if (key.asymmetricKeyType !== 'x25519') {
    throw new SealError(`The sealing private key is ${key.asymmetricKeyType ?? 'unknown'}, not X25519: regenerate the key file`);
  }
  return key;
}

function deriveKey(
  privateKey: KeyObject,
  peerRaw: Buffer,
  ephemeralRaw: Buffer,
  recipientRaw: Buffer,
  context: string,
): Buffer {
  const shared = diffieHellman({ privateKey, publicKey: publicKeyFromRaw(peerRaw) });
  const salt = Buffer.concat([ephemeralRaw, recipientRaw]);
  const key = Buffer.from(hkdfSync('sha256', shared, salt, Buffer.from(context, 'utf8'), KEY_BYTES));
  shared.fill(0);
  return key;
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}

function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
}

function decodeRawPublicKey(base64: string): Buffer {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== KEY_BYTES || raw.toString('base64') !== base64) {
    throw new SealError('The public key must be a raw 32-byte X25519 key in base64');
  }
  return raw;
}
