import { Readable } from 'node:stream';

/**
 * Answers read over node:http, as `Response`s made without fetch's own classes: the first
 * `new Response` or `new Headers` makes Node load its fetch implementation (undici, ~20 ms of
 * CPU and a WebAssembly HTTP parser), which a command that only reads a few small documents, as
 * `lading install` does, never needs otherwise.
 */
const nodeBodies = new WeakMap<Response, Readable>();

/**
 * An answer's status, header fields and, for a GET, its body. The body is read as a Node stream
 * (`nodeBody`) by this library and offered as a web stream (`body`) to anyone else; a HEAD answer
 * has none, so every body reader gives the empty body.
 */
export function httpAnswer(url: string, status: number, statusText: string, rawHeaders: readonly string[], content?: Readable): Response {
  // The range fetch's Response accepts; anything else is not an HTTP answer.
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`the registry answered an invalid HTTP status ${status}`);
  const headers = new AnswerHeaders(rawHeaders);
  let webBody: ReadableStream<Uint8Array> | null = null;
  let used = false;
  const bytes = async (): Promise<Buffer> => {
    if (!content) return Buffer.alloc(0);
    if (used) throw new TypeError('the body of this answer was already read');
    used = true;
    const parts: Buffer[] = [];
    for await (const chunk of content) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  };
  const answer: Response = {
    url,
    status,
    statusText,
    ok: status >= 200 && status < 300,
    redirected: false,
    type: 'basic',
    headers,
    get body() {
      if (!content) return null;
      webBody ??= Readable.toWeb(content) as ReadableStream<Uint8Array>;
      return webBody;
    },
    get bodyUsed() {
      return used;
    },
    arrayBuffer: async () => {
      const read = await bytes();
      return read.buffer.slice(read.byteOffset, read.byteOffset + read.byteLength) as ArrayBuffer;
    },
    blob: async () => new Blob([await bytes()]),
    text: async () => (await bytes()).toString('utf8'),
    json: async () => JSON.parse((await bytes()).toString('utf8')) as unknown,
    formData: async () => {
      throw new TypeError('a registry answer has no form data');
    },
    clone: () => {
      if (content) throw new TypeError('an answer with a body cannot be cloned');
      return httpAnswer(url, status, statusText, rawHeaders);
    },
  };
  if (content) nodeBodies.set(answer, content);
  return answer;
}

/**
 * The body of an answer read over node:http as the Node stream it arrived on, so that a blob is
 * not converted to a web stream and back; undefined for an answer fetch gave, or one without a body.
 */
export function nodeBody(answer: Response): Readable | undefined {
  return nodeBodies.get(answer);
}

/** The answer's header fields, read as fetch reads them: names without case, repeated fields joined. */
class AnswerHeaders implements Headers {
  readonly #fields = new Map<string, string>();

  constructor(raw: readonly string[]) {
    for (let index = 0; index + 1 < raw.length; index += 2) this.append(raw[index] as string, raw[index + 1] as string);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const known = this.#fields.get(key);
    this.#fields.set(key, known === undefined ? value : `${known}, ${value}`);
  }

  delete(name: string): void {
    this.#fields.delete(name.toLowerCase());
  }

  get(name: string): string | null {
    return this.#fields.get(name.toLowerCase()) ?? null;
  }

  getSetCookie(): string[] {
    const cookie = this.#fields.get('set-cookie');
    return cookie === undefined ? [] : [cookie];
  }

  has(name: string): boolean {
    return this.#fields.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.#fields.set(name.toLowerCase(), value);
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  *entries(): IterableIterator<[string, string]> {
    // fetch's Headers iterate in name order.
    yield* [...this.#fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
