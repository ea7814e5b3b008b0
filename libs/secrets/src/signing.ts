import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKeyPair {
  privateKey: KeyObject;
  /** The Ed25519 public key as SPKI DER in base64: what a runner registers with the broker. */
  publicKey: string;
}

/** A fresh Ed25519 key pair; a runner makes one each time it starts and keeps it in memory only. */
export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
}

export function signStatement(privateKey: KeyObject, statement: string): string {
  return sign(null, Buffer.from(statement, 'utf8'), privateKey).toString('base64');
}

/** Parsed keys by their base64 form: a runner signs many statements with one key, parsed once. */
const parsedKeys = new Map<string, KeyObject>();
const maxParsedKeys = 1024;

function parsedKey(publicKey: string): KeyObject {
  let key = parsedKeys.get(publicKey);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    if (parsedKeys.size >= maxParsedKeys) parsedKeys.delete(parsedKeys.keys().next().value as string);
    parsedKeys.set(publicKey, key);
  }
  return key;
}

/** Whether `signature` is `publicKey`'s over `statement`; a malformed key or signature is simply false. */
export function verifyStatement(publicKey: string, statement: string, signature: string): boolean {
  try {
    const key = parsedKey(publicKey);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(statement, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Refuses a registered key that is not an Ed25519 public key, with one sentence. */
export function isSigningPublicKey(publicKey: string): boolean {
  try {
    return createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}
