import type { Socket } from 'node:net';
import { answerAndClose, relayAnswer } from './relay-exchange.js';

/**
 * A request head must be complete within `ms` of its start: a client that sends its head a byte
 * at a time (slowloris) would otherwise hold a connection, and the relay's memory for it, for as
 * long as it likes. The client is answered 408 and the connection closed.
 */
export class HeadDeadline {
  private timer: NodeJS.Timeout | undefined;
  private missed = false;

  constructor(
    private readonly client: Socket,
    private readonly ms: number,
  ) {}

  /** True once the deadline passed and the client was answered: nothing more may be written. */
  get expired(): boolean {
    return this.missed;
  }

  start(): void {
    if (this.timer || this.missed) return;
    this.timer = setTimeout(() => {
      this.missed = true;
      answerAndClose(
        this.client,
        relayAnswer(408, 'UNSUPPORTED', `the request head did not arrive within ${this.ms} ms; send the whole head at once`),
      );
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
