import type { Readable } from 'node:stream';

/**
 * Wraps a Node stream as a pull-based web stream: bytes are read only when fetch asks for them, so an
 * upload never buffers more than one chunk of a large blob.
 */
export function pullStream(source: AsyncIterable<Uint8Array> | Readable): ReadableStream<Uint8Array> {
  const iterator = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
