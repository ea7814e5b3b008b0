import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** A value sealed to one X25519 public key (ephemeral X25519 + HKDF-SHA256 + AES-256-GCM). */
export const sealedBoxSchema = z.object({
  ephemeralPublicKey: base64,
  nonce: base64,
  ciphertext: base64,
});
export type SealedBox = z.infer<typeof sealedBoxSchema>;
