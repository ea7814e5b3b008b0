import type { Framing } from './framing.js';
import { MalformedHeadError } from './head.js';

/** The part of a chunk that belongs to the body, and whatever follows the body's end. */
export interface Metered {
  body: Buffer;
  /** Bytes after the end of the body (the next message), when the body ended in this chunk. */
  rest: Buffer | undefined;
  done: boolean;
}

const maxLine = 4096;
const bareLf = 'a chunked body line ends in a bare LF; end every chunk-size line, chunk and trailer with CRLF';

/**
 * Finds where a body ends without changing a byte of it: a chunked body is forwarded with its
 * framing intact, so only chunk-size lines and trailers are read. Every framing line must end in
 * CRLF: a bare LF is read one way by some servers and another way by others (a smuggling vector),
 * and a relay that waited for a CRLF that never comes would hang, so it is refused at once.
 */
export class BodyMeter {
  private remaining: number;
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done';
  private line = '';

  constructor(private readonly framing: Framing) {
    this.remaining = framing.kind === 'length' ? framing.bytes : 0;
    this.state = framing.kind === 'none' ? 'done' : framing.kind === 'chunked' ? 'size' : 'data';
  }

  get done(): boolean {
    return this.state === 'done';
  }

  feed(chunk: Buffer): Metered {
    if (this.state === 'done') return { body: chunk.subarray(0, 0), rest: chunk, done: true };
    if (this.framing.kind === 'close') return { body: chunk, rest: undefined, done: false };
    if (this.framing.kind === 'length') {
      if (chunk.length < this.remaining) {
        this.remaining -= chunk.length;
        return { body: chunk, rest: undefined, done: false };
      }
      const end = this.remaining;
      this.remaining = 0;
      this.state = 'done';
      return { body: chunk.subarray(0, end), rest: end < chunk.length ? chunk.subarray(end) : undefined, done: true };
    }
    const end = this.scanChunked(chunk);
    if (end < 0) return { body: chunk, rest: undefined, done: false };
    return { body: chunk.subarray(0, end), rest: end < chunk.length ? chunk.subarray(end) : undefined, done: true };
  }

  /** Offset just past the end of a chunked body within `chunk`, or -1 if it goes on. */
  private scanChunked(chunk: Buffer): number {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - at);
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) {
          this.state = 'data-end';
          this.remaining = 2;
        }
      } else if (this.state === 'data-end') {
        // The two bytes after chunk data must be exactly CRLF.
        const expected = this.remaining === 2 ? 13 : 10;
        if (chunk[at] !== expected) throw new MalformedHeadError('a chunk is longer than its size or not followed by CRLF; end every chunk with CRLF');
        this.remaining -= 1;
        at += 1;
        if (this.remaining === 0) this.state = 'size';
      } else {
        const newline = chunk.indexOf(10, at);
        const end = newline < 0 ? chunk.length : newline + 1;
        this.line += chunk.toString('latin1', at, end);
        at = end;
        if (this.line.length > maxLine) throw new MalformedHeadError('chunk-size line or trailer too long');
        if (newline < 0) continue;
        if (!this.line.endsWith('\r\n')) throw new MalformedHeadError(bareLf);
        const line = this.line.slice(0, -2);
        this.line = '';
        if (this.state === 'size') {
          const size = /^([0-9a-fA-F]{1,12})(?:[ \t]*;.*)?$/.exec(line);
          if (!size) throw new MalformedHeadError(`malformed chunk size "${line.slice(0, 32)}"`);
          this.remaining = parseInt(size[1]!, 16);
          this.state = this.remaining === 0 ? 'trailer' : 'data';
        } else if (line === '') {
          this.state = 'done';
          return at;
        }
      }
    }
    return -1;
  }
}
