/**
 * The names of a request's header fields are the client's: a field called `constructor` or
 * `__proto__` is a field like any other when the guard hands the head to its rules, and no other
 * field picks up a value from the prototype.
 */
import { describe, expect, it } from 'vitest';
import { asIncomingHeaders } from '../src/relay/http1/head.js';

describe('header fields named like what objects lend from their prototype', () => {
  it('keeps them as fields, joined as repeated fields are, and lends no others', () => {
    const headers = asIncomingHeaders({
      startLine: 'GET /v2/ HTTP/1.1',
      fields: [
        ['Constructor', 'a'],
        ['constructor', 'b'],
        ['__proto__', 'c'],
        ['Authorization', 'Basic eA=='],
      ],
    });
    expect(Object.entries(headers)).toEqual([
      ['constructor', 'a, b'],
      ['__proto__', 'c'],
      ['authorization', 'Basic eA=='],
    ]);
    expect(headers.toString).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});
