import { Transform, type TransformCallback } from 'node:stream';
import { formsLadingProduces } from './value-forms.js';

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

const asBytes = (value: Buffer | string): Buffer => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value);

/** Bytes of one stream, named by where they came from (stdout, stderr), after masking. */
export interface LabelledBytes<L> {
  label: L;
  bytes: Buffer;
}

/**
 * Masks secret values in a byte stream, including values split across chunks: only a tail that
 * could still be the start of a value is held back until the next chunk or the end of the
 * stream, so ordinary output (a prompt, a progress line) is never delayed.
 *
 * Each value is masked as given, in the forms the run script may turn it into (see
 * formsLadingProduces), in its base64 form (padded and unpadded), and where it sits inside a
 * longer base64 encoding (see base64Interiors). Values of 1-3 bytes are masked too, although
 * they will also mask innocent text: over-masking a log is a nuisance, leaking a short PIN is
 * not acceptable. Empty values are ignored. Where values overlap, the earliest match wins and,
 * at one position, the longest.
 *
 * Chunks carry a label, so that streams interleaved into one (a container's stdout and stderr)
 * are masked as the one sequence of bytes they form — a value printed half on each is still
 * caught — while every byte keeps the label of the stream it came from; a mask takes the label
 * of the first byte it replaces. Synchronous, so the order of chunks is the order of output.
 */
export class StreamRedactor<L = undefined> {
  readonly #matcher: Matcher;
  #pending: Buffer = Buffer.alloc(0);
  /** The labels of the pending bytes, as consecutive runs. */
  #labels: Array<{ label: L; length: number }> = [];
  #masked = 0;

  constructor(values: readonly (Buffer | string)[] = [], mask: string = DEFAULT_MASK) {
    this.#matcher = new Matcher(mask);
    this.learn(values);
  }

  /** Masks these values too from now on (a sensitive output the bundle has just produced). */
  learn(values: readonly (Buffer | string)[]): void {
    this.#matcher.add(values.map(asBytes));
  }

  write(chunk: Buffer, label: L): LabelledBytes<L>[] {
    if (chunk.length === 0) return [];
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#labels.push({ label, length: chunk.length });
    return this.#release(false);
  }

  /** How many values were masked so far (a count for the run's trace, never which ones). */
  get masked(): number {
    return this.#masked;
  }

  /** Everything still held back, masked. */
  end(): LabelledBytes<L>[] {
    return this.#release(true);
  }

  #release(final: boolean): LabelledBytes<L>[] {
    const { pieces, consumed } = this.#matcher.redact(this.#pending, final);
    // Consecutive pieces of one stream are joined once at the end, not piece by piece.
    const runs: Array<{ label: L; parts: Buffer[] }> = [];
    const emit = (label: L, bytes: Buffer) => {
      if (bytes.length === 0) return;
      const last = runs.at(-1);
      if (last && last.label === label) last.parts.push(bytes);
      else runs.push({ label, parts: [bytes] });
    };
    for (const piece of pieces) {
      if (piece.mask) {
        this.#masked += 1;
        emit(this.#labelAt(piece.from), piece.mask);
        continue;
      }
      let at = piece.from;
      while (at < piece.to) {
        const { label, end } = this.#runAt(at);
        const stop = Math.min(end, piece.to);
        emit(label, this.#pending.subarray(at, stop));
        at = stop;
      }
    }
    const out = runs.map(({ label, parts }) => ({ label, bytes: Buffer.concat(parts) }));
    this.#drop(consumed);
    return out;
  }

  #runAt(position: number): { label: L; end: number } {
    let start = 0;
    for (const run of this.#labels) {
      if (position < start + run.length) return { label: run.label, end: start + run.length };
      start += run.length;
    }
    throw new Error('StreamRedactor: a position past the pending bytes was asked for');
  }

  #labelAt(position: number): L {
    return this.#runAt(position).label;
  }

  #drop(consumed: number): void {
    this.#pending = Buffer.from(this.#pending.subarray(consumed));
    let left = consumed;
    while (left > 0 && this.#labels.length > 0) {
      const first = this.#labels[0];
      if (first.length <= left) {
        left -= first.length;
        this.#labels.shift();
      } else {
        first.length -= left;
        left = 0;
      }
    }
  }
}

/** The redactor as a byte stream transform, for one unlabelled stream. */
export function createRedactor(values: readonly (Buffer | string)[], mask: string = DEFAULT_MASK): Transform {
  const redactor = new StreamRedactor<undefined>(values, mask);
  const joined = (parts: LabelledBytes<undefined>[]) => (parts.length > 0 ? Buffer.concat(parts.map((part) => part.bytes)) : undefined);
  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      callback(null, joined(redactor.write(asBytes(chunk), undefined)));
    },
    flush(callback: TransformCallback) {
      callback(null, joined(redactor.end()));
    },
  });
}

/** One-shot form of the redactor for bytes already in memory. */
export function redactBytes(bytes: Buffer, values: readonly (Buffer | string)[], mask: string = DEFAULT_MASK): Buffer {
  const redactor = new StreamRedactor<undefined>(values, mask);
  const parts = [...redactor.write(bytes, undefined), ...redactor.end()];
  return Buffer.concat(parts.map((part) => part.bytes));
}

/** One-shot form of the redactor for strings already in memory. */
export function redactText(text: string, values: readonly (Buffer | string)[], mask: string = DEFAULT_MASK): string {
  return redactBytes(Buffer.from(text, 'utf8'), values, mask).toString('utf8');
}

type Piece = { from: number; to: number; mask?: Buffer };

class Matcher {
  #needles: Buffer[] = [];
  readonly #known = new Set<string>();
  readonly #mask: Buffer;

  constructor(mask: string) {
    this.#mask = Buffer.from(mask, 'utf8');
  }

  add(values: readonly Buffer[]): void {
    for (const value of values) {
      for (const form of formsLadingProduces(value)) {
        const base64 = form.toString('base64');
        for (const needle of [form, Buffer.from(base64), Buffer.from(base64.replace(/=+$/, '')), ...base64Interiors(form)]) {
          const key = needle.toString('hex');
          if (this.#known.has(key)) continue;
          this.#known.add(key);
          this.#needles.push(needle);
        }
      }
    }
    // Longest first, so at one position the longest needle wins.
    this.#needles.sort((a, b) => b.length - a.length);
  }

  /**
   * Masks what can be decided now. Unless `final`, a tail that could begin a value stays
   * pending (not `consumed`) until more bytes decide it.
   */
  redact(input: Buffer, final: boolean): { pieces: Piece[]; consumed: number } {
    const limit = final ? input.length : input.length - this.#undecidedTail(input);
    const pieces: Piece[] = [];
    // Where each needle next occurs: searched again only once the scan has passed it, so output
    // with a value on every line costs one pass per needle, not one per match.
    const next = this.#needles.map(() => -2);
    let position = 0;
    while (position < limit) {
      const match = this.#earliestMatch(input, position, limit, next);
      if (!match) {
        pieces.push({ from: position, to: limit });
        position = limit;
        break;
      }
      if (match.at > position) pieces.push({ from: position, to: match.at });
      pieces.push({ from: match.at, to: match.at + match.length, mask: this.#mask });
      position = match.at + match.length;
    }
    return { pieces, consumed: position };
  }

  /**
   * Length of the longest end of `input` that is the beginning of some needle. Only positions
   * holding a needle's first byte are compared, so a long value (a certificate) costs a scan of
   * the tail, not a comparison at every length.
   */
  #undecidedTail(input: Buffer): number {
    let longest = 0;
    for (const needle of this.#needles) {
      const window = Math.min(needle.length - 1, input.length);
      for (let at = input.length - window; at < input.length - longest; at += 1) {
        at = input.indexOf(needle[0], at);
        if (at < 0 || at >= input.length - longest) break;
        const length = input.length - at;
        if (input.subarray(at).equals(needle.subarray(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }

  #earliestMatch(input: Buffer, from: number, limit: number, next: number[]): { at: number; length: number } | undefined {
    let best: { at: number; length: number } | undefined;
    this.#needles.forEach((needle, index) => {
      if (next[index] !== -1 && next[index] < from) next[index] = input.indexOf(needle, from);
      const at = next[index];
      // Needles are sorted longest first, so a tie keeps the longer one already found.
      if (at >= 0 && at < limit && (!best || at < best.at)) best = { at, length: needle.length };
    });
    return best;
  }
}
