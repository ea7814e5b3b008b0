import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { BodyMeter } from './body-meter.js';
import type { Framing } from './framing.js';
import { headEnd, MalformedHeadError } from './head.js';

/**
 * Reads HTTP/1.1 messages off a socket one part at a time: a head, then a body forwarded to a
 * sink chunk by chunk as it arrives, with backpressure and without copying it. Bytes that arrive
 * past the end of a part are kept for the next one.
 */
export class SocketReader {
  private pending: Buffer | undefined;
  private ended = false;
  private failure: Error | undefined;
  private onEnd: (() => void) | undefined;

  constructor(readonly socket: Socket) {
    socket.pause();
    const ended = () => {
      this.ended = true;
      this.onEnd?.();
    };
    socket.on('end', ended);
    socket.on('close', ended);
    socket.on('error', (error) => {
      this.failure = error;
      this.onEnd?.();
    });
  }

  /**
   * The next head, or undefined when the peer closed cleanly before starting one. `plausible`
   * may refuse a head early from its first bytes; `begun` is told when its first byte is here.
   */
  readHead(limit: number, plausible: (bytes: Buffer) => boolean = () => true, begun: () => void = () => undefined): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      let collected = this.pending ?? Buffer.alloc(0);
      this.pending = undefined;
      if (collected.length > 0) begun();
      const stop = () => {
        this.socket.off('data', onData);
        this.socket.pause();
        this.onEnd = undefined;
      };
      const complete = (): boolean => {
        const end = headEnd(collected);
        if (end > limit || (end < 0 && collected.length > limit)) {
          stop();
          reject(new MalformedHeadError(`message head larger than ${limit} bytes`, 431));
          return true;
        }
        if (end >= 0) {
          stop();
          if (end < collected.length) this.pending = collected.subarray(end);
          resolve(collected.subarray(0, end));
          return true;
        }
        if (!plausible(collected)) {
          stop();
          reject(new MalformedHeadError('the bytes received do not begin an HTTP/1.1 request (TLS to a plain-HTTP port?)'));
          return true;
        }
        return false;
      };
      const onData = (chunk: Buffer) => {
        if (collected.length === 0 && chunk.length > 0) begun();
        collected = collected.length === 0 ? chunk : Buffer.concat([collected, chunk]);
        complete();
      };
      if (complete()) return;
      this.onEnd = () => {
        stop();
        if (this.failure) reject(this.failure);
        else if (collected.length === 0) resolve(undefined);
        else reject(new MalformedHeadError('the connection closed in the middle of a message head'));
      };
      if (this.ended || this.failure) return this.onEnd();
      this.socket.on('data', onData);
      this.socket.resume();
    });
  }

  /** Forwards one body, delimited by `framing`, to `sink`; resolves once all of it is written. */
  pipeBody(framing: Framing, sink: Writable): Promise<void> {
    const meter = new BodyMeter(framing);
    if (meter.done) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let active = true;
      const resume = () => {
        if (active) this.socket.resume();
      };
      const finish = (error?: Error) => {
        if (!active) return;
        active = false;
        this.socket.off('data', onData);
        this.socket.pause();
        sink.off('drain', resume);
        sink.off('close', sinkClosed);
        this.onEnd = undefined;
        if (error) reject(error);
        else resolve();
      };
      const sinkClosed = () => finish(new Error('the receiving side closed before the body was forwarded'));
      const consume = (chunk: Buffer) => {
        let metered;
        try {
          metered = meter.feed(chunk);
        } catch (error) {
          finish(error as Error);
          return;
        }
        if (metered.body.length > 0 && !sink.write(metered.body)) this.socket.pause();
        if (metered.done) {
          this.pending = metered.rest;
          finish();
        }
      };
      const onData = (chunk: Buffer) => consume(chunk);
      sink.on('drain', resume);
      sink.once('close', sinkClosed);
      if (this.pending) {
        const first = this.pending;
        this.pending = undefined;
        consume(first);
        if (!active) return;
      }
      this.onEnd = () => {
        if (this.failure) finish(this.failure);
        else if (framing.kind === 'close') finish();
        else finish(new Error('the connection closed in the middle of a message body'));
      };
      if (this.ended || this.failure) return this.onEnd();
      this.socket.on('data', onData);
      if (!sink.writableNeedDrain) this.socket.resume();
    });
  }
}
