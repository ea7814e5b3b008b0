/**
 * Splits a byte stream into consecutive sub-streams of at most `chunkSize` bytes without copying more
 * than one source chunk at a time: each sub-stream pulls from the shared source on demand.
 */
export class ChunkSplitter {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private leftover: Uint8Array | undefined;
  private finished = false;

  constructor(
    source: AsyncIterable<Uint8Array>,
    private readonly chunkSize: number,
  ) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** True once the source is exhausted and nothing is left over. */
  async done(): Promise<boolean> {
    if (this.leftover && this.leftover.length > 0) return false;
    if (this.finished) return true;
    const next = await this.iterator.next();
    if (next.done) {
      this.finished = true;
      return true;
    }
    this.leftover = next.value;
    return next.value.length === 0 ? this.done() : false;
  }

  /** The next sub-stream; read it completely before asking for another. */
  async *next(): AsyncGenerator<Uint8Array> {
    let remaining = this.chunkSize;
    while (remaining > 0) {
      let piece = this.leftover;
      this.leftover = undefined;
      if (!piece) {
        if (this.finished) return;
        const next = await this.iterator.next();
        if (next.done) {
          this.finished = true;
          return;
        }
        piece = next.value;
      }
      if (piece.length > remaining) {
        this.leftover = piece.subarray(remaining);
        piece = piece.subarray(0, remaining);
      }
      remaining -= piece.length;
      yield piece;
    }
  }
}
