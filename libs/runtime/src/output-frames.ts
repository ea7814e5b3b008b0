import { Transform, type TransformCallback } from 'node:stream';
import { frameShapes, parseFrameBody } from '@lading/manifest';
import type { OutputFrameParserOptions, OutputListener } from './types.js';

const newline = 0x0a;

/**
 * Finds the run script's frames in a container's stdout: from the run's nonce to the end of the line,
 * read by the run protocol's frame grammar (`parseFrameBody` of `@lading/manifest`). Frames are
 * removed and reported; every other byte passes through unchanged and without waiting for a
 * line end (a tail that could begin the nonce waits for the next chunk). A frame is recognised
 * mid-line too, so that a step whose output does not end with a newline cannot turn the run
 * script's next frame into plain output. Only the run script knows the nonce, so other output
 * cannot pose as a frame. Frames may be split across chunks anywhere, the nonce included.
 * Synchronous: a frame is reported
 * before any byte that follows it is returned.
 */
export class OutputFrameScanner {
  readonly #marker: Buffer;
  readonly #maxFrameBytes: number;
  readonly #onOutput: OutputListener;
  readonly #options: OutputFrameParserOptions;
  #pending = Buffer.alloc(0);
  #atLineStart = true;
  #discarding = false;

  constructor(nonce: string, onOutput: OutputListener, options: OutputFrameParserOptions = {}) {
    this.#marker = Buffer.from(`${nonce} `);
    this.#maxFrameBytes = options.maxFrameBytes ?? 16 * 1024 * 1024;
    this.#onOutput = onOutput;
    this.#options = options;
  }

  /** The bytes of `chunk` (and of what was held back) that are not part of a frame. */
  scan(chunk: Buffer): Buffer[] {
    const data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    const passed: Buffer[] = [];
    const pass = (bytes: Buffer) => {
      if (bytes.length === 0) return;
      passed.push(bytes);
      this.#atLineStart = bytes[bytes.length - 1] === newline;
    };
    let position = 0;
    if (this.#discarding) {
      const end = data.indexOf(newline);
      if (end < 0) return passed;
      this.#discarding = false;
      position = end + 1;
    }
    const marker = this.#marker;
    while (position < data.length) {
      const at = data.indexOf(marker, position);
      if (at < 0) {
        // Only a tail that could begin the marker waits for the next chunk.
        const held = this.#markerPrefixAtEnd(data, position);
        pass(data.subarray(position, data.length - held));
        if (held > 0) this.#pending = Buffer.from(data.subarray(data.length - held));
        return passed;
      }
      pass(data.subarray(position, at));
      const end = data.indexOf(newline, at + marker.length);
      if (end < 0) {
        if (data.length - at > this.#maxFrameBytes) {
          this.#options.onMalformed?.(`an output frame is longer than ${this.#maxFrameBytes} bytes`);
          this.#discarding = true;
          this.#endLine(pass);
        } else {
          this.#pending = Buffer.from(data.subarray(at));
        }
        return passed;
      }
      this.#frame(data.subarray(at + marker.length, end));
      this.#endLine(pass);
      position = end + 1;
    }
    return passed;
  }

  /** A frame that interrupted a line ends it, as its newline would have. */
  #endLine(pass: (bytes: Buffer) => void): void {
    if (!this.#atLineStart) pass(Buffer.from('\n'));
  }

  /** Length of the longest end of data[from..] that is the start of the marker. */
  #markerPrefixAtEnd(data: Buffer, from: number): number {
    for (let length = Math.min(this.#marker.length - 1, data.length - from); length > 0; length--) {
      if (data.subarray(data.length - length).equals(this.#marker.subarray(0, length))) return length;
    }
    return 0;
  }

  /** What is left at the end of the stream: a last frame without its newline, or plain bytes. */
  end(): Buffer[] {
    const pending = this.#pending;
    this.#pending = Buffer.alloc(0);
    if (pending.length >= this.#marker.length) {
      this.#frame(pending.subarray(this.#marker.length));
      return [];
    }
    return pending.length > 0 ? [pending] : [];
  }

  #frame(body: Buffer): void {
    const frame = parseFrameBody(body.toString('latin1'));
    if (frame === undefined) this.#options.onMalformed?.(`an output frame is not ${frameShapes}`);
    else if (frame.kind === 'mask') this.#options.onMask?.(frame.value);
    else if (frame.kind === 'output') this.#onOutput(frame.name, frame.value);
    else if (frame.phase === 'start') this.#options.onStep?.({ index: frame.index, kind: 'start', spanId: frame.spanId });
    else this.#options.onStep?.({ index: frame.index, kind: 'end', exitCode: frame.exitCode });
  }
}

/** The frame scanner as a byte stream transform. */
export function createOutputFrameParser(nonce: string, onOutput: OutputListener, options: OutputFrameParserOptions = {}): Transform {
  const scanner = new OutputFrameScanner(nonce, onOutput, options);
  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback) {
      for (const bytes of scanner.scan(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))) this.push(bytes);
      done();
    },
    flush(done: TransformCallback) {
      for (const bytes of scanner.end()) this.push(bytes);
      done();
    },
  });
}
