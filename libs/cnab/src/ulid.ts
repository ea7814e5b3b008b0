import { randomBytes } from 'node:crypto';

// Crockford's base32, as ULIDs use: no I, L, O or U.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A 26-character ULID: 48 bits of milliseconds then 80 random bits, so ids sort by creation time. */
export function newUlid(now: number = Date.now()): string {
  let time = '';
  let rest = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = alphabet[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let random = '';
  for (let i = 0; i < 16; i++) {
    random = alphabet[Number(bits & 31n)] + random;
    bits >>= 5n;
  }
  return time + random;
}

export const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;
