import { finished } from 'node:stream/promises';
import type { Transform } from 'node:stream';
import { createRedactor } from '@lading/secrets';

/**
 * One container stream on its way to the user: (output frames removed →) secret values masked,
 * also inside base64 encodings → delivered. Masking happens before anything
 * leaves the runner, so no event, stored log or terminal ever sees a value, even one split
 * across chunks.
 */
export class LogPipeline {
  private readonly head: Transform;
  private readonly tail: Transform;

  constructor(secretValues: string[], deliver: (text: string) => void, frameParser?: Transform) {
    this.tail = createRedactor(secretValues);
    this.head = frameParser ?? this.tail;
    if (frameParser) frameParser.pipe(this.tail);
    this.tail.on('data', (chunk: Buffer) => deliver(chunk.toString('utf8')));
  }

  write(chunk: Buffer): void {
    this.head.write(chunk);
  }

  /** Flushes what is held back and resolves once everything has been delivered. */
  async close(): Promise<void> {
    this.head.end();
    await finished(this.tail);
  }
}
