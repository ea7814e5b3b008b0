/**
 * The end of a run's output, at most `limit` bytes, kept while the output streams past: a run
 * that prints a gigabyte costs the runner `limit` bytes, not a gigabyte. The tail matters most
 * when a run fails.
 */
export class LogTail {
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #kept = 0;
  #seen = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  append(bytes: Buffer): void {
    this.#seen += bytes.length;
    const kept = bytes.length > this.#limit ? bytes.subarray(bytes.length - this.#limit) : bytes;
    this.#chunks.push(Buffer.from(kept));
    this.#kept += kept.length;
    while (this.#kept - this.#chunks[0].length >= this.#limit) this.#kept -= this.#chunks.shift()!.length;
  }

  /** The last `limit` bytes as text (a character cut at the start is replaced), and whether bytes were dropped. */
  text(): { log: string; truncated: boolean } {
    const all = Buffer.concat(this.#chunks);
    const kept = all.subarray(Math.max(0, all.length - this.#limit));
    return { log: kept.toString('utf8'), truncated: this.#seen > kept.length };
  }
}
