import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** scrypt parameters of new verifiers; stored in each verifier so they can change later. */
const cost = { N: 16384, r: 8, p: 1 } as const;
const keyLength = 32;

/** `scrypt$N$r$p$<salt b64url>$<hash b64url>`: what a principals file keeps instead of a password. */
export function passwordVerifier(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, keyLength, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `password` matches the verifier; a malformed verifier matches nothing. */
export function verifyPassword(password: string, verifier: string): boolean {
  const [scheme, N, r, p, salt, hash] = verifier.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const params = { N: Number(N), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 };
  if (![params.N, params.r, params.p].every((value) => Number.isInteger(value) && value > 0)) return false;
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, params);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
