import { describe, expect, it } from 'vitest';
import {
  exportPrivateKey,
  generateSealingKeyPair,
  importPrivateKey,
  open,
  seal,
  SealError,
  sealingPublicKey,
} from '../src/internal.js';

const plaintext = Buffer.from('canary-3f9a-sealed-value');

describe('sealing', () => {
  it('round-trips a value for the holder of the private key and the same context', () => {
    const recipient = generateSealingKeyPair();
    const box = seal(plaintext, recipient.publicKey, 'lease:run-1');
    expect(open(box, recipient.privateKey, 'lease:run-1').equals(plaintext)).toBe(true);
    expect(Buffer.from(box.ciphertext, 'base64').includes(plaintext)).toBe(false);
  });

  it('uses a fresh ephemeral key and nonce every time', () => {
    const recipient = generateSealingKeyPair();
    const a = seal(plaintext, recipient.publicKey, 'ctx');
    const b = seal(plaintext, recipient.publicKey, 'ctx');
    expect(a.ephemeralPublicKey).not.toBe(b.ephemeralPublicKey);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('refuses a box opened with another key', () => {
    const box = seal(plaintext, generateSealingKeyPair().publicKey, 'ctx');
    expect(() => open(box, generateSealingKeyPair().privateKey, 'ctx')).toThrow(SealError);
  });

  it('refuses a box opened for another context', () => {
    const recipient = generateSealingKeyPair();
    const box = seal(plaintext, recipient.publicKey, 'lease:run-1');
    expect(() => open(box, recipient.privateKey, 'lease:run-2')).toThrow(/sealed for another purpose/);
  });

  it('refuses any single-bit change of ciphertext, nonce or ephemeral key', () => {
    const recipient = generateSealingKeyPair();
    const box = seal(plaintext, recipient.publicKey, 'ctx');
    for (const field of ['ciphertext', 'nonce', 'ephemeralPublicKey'] as const) {
      const bytes = Buffer.from(box[field], 'base64');
      for (let i = 0; i < bytes.length; i += 1) {
        const altered = Buffer.from(bytes);
        altered[i] = (altered[i] as number) ^ 0x01;
        expect(() => open({ ...box, [field]: altered.toString('base64') }, recipient.privateKey, 'ctx')).toThrow(SealError);
      }
    }
  });

  it('refuses a truncated box and a low-order ephemeral point', () => {
    const recipient = generateSealingKeyPair();
    const box = seal(plaintext, recipient.publicKey, 'ctx');
    expect(() => open({ ...box, ciphertext: 'AAAA' }, recipient.privateKey, 'ctx')).toThrow(SealError);
    const zeroPoint = Buffer.alloc(32).toString('base64');
    expect(() => open({ ...box, ephemeralPublicKey: zeroPoint }, recipient.privateKey, 'ctx')).toThrow(SealError);
  });

  it('refuses to seal to a malformed public key', () => {
    expect(() => seal(plaintext, 'not-a-key', 'ctx')).toThrow(/raw 32-byte X25519 key/);
  });

  it('exports and imports the private key, keeping its public half', () => {
    const pair = generateSealingKeyPair();
    const pem = exportPrivateKey(pair.privateKey);
    const imported = importPrivateKey(pem);
    expect(sealingPublicKey(imported)).toBe(pair.publicKey);
    expect(open(seal(plaintext, pair.publicKey, 'ctx'), imported, 'ctx').equals(plaintext)).toBe(true);
    expect(() => importPrivateKey('garbage')).toThrow(/not a valid PKCS#8 PEM key/);
  });
});
