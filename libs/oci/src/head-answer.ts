/**
 * A HEAD answer as a `Response`, made without fetch's own classes: the first `new Response` or
 * `new Headers` makes Node load its fetch implementation (undici, ~20 ms of CPU), which a command
 * that sends only HEADs, as `lading install` does, never needs otherwise. A HEAD answer has no
 * body, so every body reader gives the empty body.
 */
export function headAnswer(url: string, status: number, statusText: string, rawHeaders: readonly string[]): Response {
  // The range fetch's Response accepts; anything else is not an HTTP answer.
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`the registry answered an invalid HTTP status ${status}`);
  const headers = new AnswerHeaders(rawHeaders);
  const answer: Response = {
    url,
    status,
    statusText,
    ok: status >= 200 && status < 300,
    redirected: false,
    type: 'basic',
    headers,
    body: null,
    bodyUsed: false,
    arrayBuffer: async () => new ArrayBuffer(0),
    blob: async () => new Blob([]),
    text: async () => '',
    json: async () => JSON.parse(''),
    formData: async () => {
      throw new TypeError('a HEAD answer has no form data');
    },
    clone: () => headAnswer(url, status, statusText, rawHeaders),
  };
  return answer;
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
