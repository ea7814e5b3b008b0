import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { OciError } from '../errors.js';

/**
 * Keys in cosign's formats, so cosign, skopeo and Lading share them: the public key is a PEM
 * SPKI ECDSA P-256 key; the private key is PKCS#8 DER sealed with nacl secretbox under a key
 * scrypt derives from the passphrase, wrapped as JSON in an `ENCRYPTED SIGSTORE PRIVATE KEY` PEM.
 */
const privatePemTypes = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'];
const scryptParams = { N: 32768, r: 8, p: 1 };

interface SealedKey {
  kdf: { name: 'scrypt'; params: typeof scryptParams; salt: string };
  cipher: { name: 'nacl/secretbox'; nonce: string };
  ciphertext: string;
}

function keyError(why: string): OciError {
  return new OciError(`The signing key ${why}.`, { reason: 'BAD_KEY' });
}

function pem(type: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

function derive(passphrase: string, salt: Buffer, params: typeof scryptParams): Buffer {
  return scryptSync(Buffer.from(passphrase, 'utf8'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r });
}

/** A fresh ECDSA P-256 key pair: `.key` (encrypted under `passphrase`) and `.pub` contents. */
export function generateSigningKeys(passphrase: string): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const plain = privateKey.export({ format: 'der', type: 'pkcs8' });
  const ciphertext = Buffer.from(nacl.secretbox(plain, nonce, derive(passphrase, salt, scryptParams)));
  const sealed: SealedKey = {
    kdf: { name: 'scrypt', params: scryptParams, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: ciphertext.toString('base64'),
  };
  return {
    privateKey: pem(privatePemTypes[0], Buffer.from(JSON.stringify(sealed))),
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** Opens a cosign-format private key; a wrong passphrase or another format is one sentence. */
export function readSigningKey(text: string, passphrase: string): KeyObject {
  const match = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match || !privatePemTypes.includes(match[1])) throw keyError(`is not a cosign private key (expected a PEM block ${privatePemTypes.join(' or ')})`);
  let sealed: SealedKey;
  try {
    sealed = JSON.parse(Buffer.from(match[2].replace(/\s+/g, ''), 'base64').toString('utf8')) as SealedKey;
  } catch {
    throw keyError('is damaged: its PEM block does not hold JSON');
  }
  if (sealed?.kdf?.name !== 'scrypt' || sealed?.cipher?.name !== 'nacl/secretbox') throw keyError('uses a key derivation or cipher other than scrypt and nacl/secretbox');
  const { N, r, p } = sealed.kdf.params ?? {};
  if (![N, r, p].every((value) => Number.isInteger(value) && value > 0) || N > 1 << 20 || r > 32 || p > 16) throw keyError('has scrypt parameters out of range');
  const plain = nacl.secretbox.open(
    Buffer.from(sealed.ciphertext, 'base64'),
    Buffer.from(sealed.cipher.nonce, 'base64'),
    derive(passphrase, Buffer.from(sealed.kdf.salt, 'base64'), { N, r, p }),
  );
  if (!plain) throw keyError('cannot be opened with this passphrase (LADING_KEY_PASSWORD)');
  const key = createPrivateKey({ key: Buffer.from(plain), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ec') throw keyError('is not an ECDSA key');
  return key;
}

/** Reads a PEM public key (`PREFIX.pub`, or cosign's `cosign.pub`). */
export function readVerificationKey(text: string): KeyObject {
  try {
    return createPublicKey(text);
  } catch {
    throw new OciError('The verification key is not a PEM public key.', { reason: 'BAD_KEY' });
  }
}
