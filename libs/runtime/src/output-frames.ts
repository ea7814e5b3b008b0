import { Transform, type TransformCallback } from 'node:stream';
import type { OutputFrameParserOptions, OutputListener } from './types.js';

const outputName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const base64Body = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const newline = 0x0a;

/**
 * Removes `<nonce> output <name> <base64>` lines from a container's stdout and reports them;
 * every other byte passes through unchanged and without waiting for a line end. Only the run
 * script knows the nonce, so other output cannot forge an output value. Frames may be split
 * across chunks anywhere, the nonce included.
 */
export function createOutputFrameParser(nonce: string, onOutput: OutputListener, options: OutputFrameParserOptions = {}): Transform {
  const marker = Buffer.from(`${nonce} output `);
  const maxFrameBytes = options.maxFrameBytes ?? 16 * 1024 * 1024;
  let pending = Buffer.alloc(0);
  let atLineStart = true;
  let discarding = false;

  const frame = (body: Buffer): void => {
    const text = body.toString('latin1').replace(/\r$/, '');
    const space = text.indexOf(' ');
    const name = space < 0 ? text : text.slice(0, space);
    const value = space < 0 ? '' : text.slice(space + 1);
    if (space < 0 || !outputName.test(name) || !base64Body.test(value)) {
      options.onMalformed?.('an output frame is not "<name> <base64>"');
      return;
    }
    onOutput(name, Buffer.from(value, 'base64'));
  };

  const scan = (data: Buffer, push: (bytes: Buffer) => void): void => {
    let position = 0;
    if (discarding) {
      const end = data.indexOf(newline);
      if (end < 0) return;
      discarding = false;
      atLineStart = true;
      position = end + 1;
    }
    while (position < data.length) {
      if (atLineStart) {
        const rest = data.subarray(position);
        const compared = Math.min(rest.length, marker.length);
        if (rest.subarray(0, compared).equals(marker.subarray(0, compared))) {
          const end = rest.length < marker.length ? -1 : rest.indexOf(newline, marker.length);
          if (end < 0) {
            if (rest.length > maxFrameBytes) {
              options.onMalformed?.(`an output frame is longer than ${maxFrameBytes} bytes`);
              discarding = true;
              atLineStart = false;
            } else {
              pending = Buffer.from(rest);
            }
            return;
          }
          frame(rest.subarray(marker.length, end));
          position += end + 1;
          continue;
        }
      }
      const end = data.indexOf(newline, position);
      const stop = end < 0 ? data.length : end + 1;
      push(data.subarray(position, stop));
      atLineStart = end >= 0;
      position = stop;
    }
  };

  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback) {
      const incoming = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      const data = pending.length > 0 ? Buffer.concat([pending, incoming]) : incoming;
      pending = Buffer.alloc(0);
      scan(data, (bytes) => this.push(bytes));
      done();
    },
    flush(done: TransformCallback) {
      if (pending.length >= marker.length) {
        frame(pending.subarray(marker.length));
      } else if (pending.length > 0) {
        this.push(pending);
      }
      pending = Buffer.alloc(0);
      done();
    },
  });
}
