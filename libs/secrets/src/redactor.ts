import { Transform, type TransformCallback } from 'node:stream';

export const DEFAULT_MASK = '*******';

/** Shorter base64 fragments would mask ordinary text; the value itself is masked whatever its length. */
const minimumFragmentLength = 8;

/**
 * The part of a value's base64 encoding that does not depend on what surrounds it. A bundle that
 * encodes the value with text before it or a newline after it (`echo "$TOKEN" | base64`) changes
 * the encoding's edges; the interior at each of the three byte alignments stays the same.
 */
function base64Interiors(bytes: Buffer): Buffer[] {
  const fragments: Buffer[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Base64 characters carry 6 bits each: keep those made of the value's bits only.
    const fragment = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (fragment.length >= minimumFragmentLength) fragments.push(Buffer.from(fragment));
  }
  return fragments;
}

/**
 * Masks secret values in a byte stream, including values split across chunks: only a tail that
 * could still be the start of a value is held back until the next chunk or the end of the
 * stream, so ordinary output (a prompt, a progress line) is never delayed.
 *
 * Each value is masked as given, in its base64 form (padded and unpadded), and where it sits
 * inside a longer base64 encoding (see base64Interiors). Values of 1-3
 * bytes are masked too, although they will also mask innocent text: over-masking a log is a
 * nuisance, leaking a short PIN is not acceptable. Empty values are ignored. Where values
 * overlap, the earliest match wins and, at one position, the longest.
 */
export function createRedactor(values: readonly (Buffer | string)[], mask: string = DEFAULT_MASK): Transform {
  const matcher = new Matcher(values, mask);
  let pending: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      const input = Buffer.concat([pending, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
      const { output, rest } = matcher.redact(input, false);
      pending = rest;
      callback(null, output.length > 0 ? output : undefined);
    },
    flush(callback: TransformCallback) {
      const { output } = matcher.redact(pending, true);
      pending = Buffer.alloc(0);
      callback(null, output.length > 0 ? output : undefined);
    },
  });
}

/** One-shot form of the redactor for strings already in memory. */
export function redactText(text: string, values: readonly (Buffer | string)[], mask: string = DEFAULT_MASK): string {
  return new Matcher(values, mask).redact(Buffer.from(text, 'utf8'), true).output.toString('utf8');
}

class Matcher {
  readonly #needles: Buffer[];
  readonly #mask: Buffer;
  readonly #holdBack: number;

  constructor(values: readonly (Buffer | string)[], mask: string) {
    const unique = new Map<string, Buffer>();
    for (const value of values) {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
      if (bytes.length === 0) continue;
      const base64 = bytes.toString('base64');
      for (const needle of [bytes, Buffer.from(base64), Buffer.from(base64.replace(/=+$/, '')), ...base64Interiors(bytes)]) {
        unique.set(needle.toString('hex'), needle);
      }
    }
    // Longest first, so at one position the longest needle wins.
    this.#needles = [...unique.values()].sort((a, b) => b.length - a.length);
    this.#mask = Buffer.from(mask, 'utf8');
    this.#holdBack = Math.max(0, (this.#needles[0]?.length ?? 0) - 1);
  }

  /**
   * Masks what can be decided now. Unless `final`, a match can only be ruled out for positions
   * at least holdBack bytes before the end; bytes from there on are returned as `rest`.
   */
  redact(input: Buffer, final: boolean): { output: Buffer; rest: Buffer } {
    const limit = final ? input.length : input.length - this.#undecidedTail(input);
    const parts: Buffer[] = [];
    let position = 0;
    while (position < limit) {
      const match = this.#earliestMatch(input, position, limit);
      if (!match) {
        parts.push(input.subarray(position, limit));
        position = limit;
        break;
      }
      parts.push(input.subarray(position, match.at), this.#mask);
      position = match.at + match.length;
    }
    return { output: Buffer.concat(parts), rest: Buffer.from(input.subarray(position)) };
  }

  /** Length of the longest end of `input` that is the beginning of some needle. */
  #undecidedTail(input: Buffer): number {
    for (let length = Math.min(this.#holdBack, input.length); length > 0; length--) {
      const tail = input.subarray(input.length - length);
      if (this.#needles.some((needle) => needle.length > length && needle.subarray(0, length).equals(tail))) return length;
    }
    return 0;
  }

  #earliestMatch(input: Buffer, from: number, limit: number): { at: number; length: number } | undefined {
    let best: { at: number; length: number } | undefined;
    for (const needle of this.#needles) {
      const at = input.indexOf(needle, from);
      // Needles are sorted longest first, so a tie keeps the longer one already found.
      if (at >= 0 && at < limit && (!best || at < best.at)) best = { at, length: needle.length };
    }
    return best;
  }
}
