import { describe, expect, it } from 'vitest';
import { BodyMeter } from './body-meter.js';
import { requestFraming, responseFraming } from './framing.js';
import { couldStartRequest, headEnd, MalformedHeadError, parseRequestHead, parseResponseHead } from './head.js';

const head = (text: string) => Buffer.from(`${text}\r\n\r\n`, 'latin1');

/** Feeds `wire` to a meter in pieces of `size` bytes; returns the body bytes and what followed. */
function meter(framing: ReturnType<typeof requestFraming>, wire: string, size: number): { body: string; rest: string; done: boolean } {
  const bodyMeter = new BodyMeter(framing);
  const bytes = Buffer.from(wire, 'latin1');
  let body = '';
  let rest = '';
  let done = false;
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size);
    if (done) {
      rest += piece.toString('latin1');
      continue;
    }
    const metered = bodyMeter.feed(piece);
    body += metered.body.toString('latin1');
    if (metered.done) {
      done = true;
      rest += metered.rest?.toString('latin1') ?? '';
    }
  }
  return { body, rest, done };
}

describe('HTTP/1.1 heads', () => {
  it('finds the end of a head and parses request and status lines with their fields in order', () => {
    const bytes = Buffer.concat([head('PATCH /v2/a/blobs/uploads/x?y=1 HTTP/1.1\r\nHost: g\r\nContent-Length: 3\r\nX-A: 1\r\nx-a: 2'), Buffer.from('abc')]);
    const end = headEnd(bytes);
    expect(bytes.subarray(end).toString()).toBe('abc');
    const request = parseRequestHead(bytes.subarray(0, end));
    expect(request).toMatchObject({ method: 'PATCH', target: '/v2/a/blobs/uploads/x?y=1', version: 'HTTP/1.1' });
    expect(request.fields).toEqual([['Host', 'g'], ['Content-Length', '3'], ['X-A', '1'], ['x-a', '2']]);
    expect(parseResponseHead(head('HTTP/1.1 202 Accepted\r\nLocation: /v2/x')).status).toBe(202);
  });

  it('refuses malformed request lines and fields', () => {
    for (const text of ['GET /v2/ HTTP/2.0', 'GET v2/ HTTP/1.1', 'GET  /v2/ HTTP/1.1', 'GET /v2/ HTTP/1.1\r\nBad Name: x', 'GET /v2/ HTTP/1.1\r\n folded: x']) {
      expect(() => parseRequestHead(head(text))).toThrow(MalformedHeadError);
    }
  });

  it('recognises at the first byte what cannot be a request, such as a TLS handshake', () => {
    expect(couldStartRequest(Buffer.from([0x16, 0x03, 0x01]))).toBe(false);
    expect(couldStartRequest(Buffer.from('GE'))).toBe(true);
    expect(couldStartRequest(Buffer.from('GET /v2/\x00'))).toBe(false);
  });
});

describe('body framing', () => {
  it('refuses requests that could be read two ways', () => {
    const both = parseRequestHead(head('PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5'));
    expect(() => requestFraming(both)).toThrow(/both Transfer-Encoding and Content-Length/);
    const gzip = parseRequestHead(head('PUT /x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked'));
    expect(() => requestFraming(gzip)).toThrow(expect.objectContaining({ status: 501 }));
    const conflicting = parseRequestHead(head('PUT /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6'));
    expect(() => requestFraming(conflicting)).toThrow(/Content-Length/);
    expect(() => requestFraming(parseRequestHead(head('PUT /x HTTP/1.1\r\nContent-Length: -1')))).toThrow(/Content-Length/);
  });

  it('frames requests by length or chunks, and answers by method and status', () => {
    expect(requestFraming(parseRequestHead(head('GET /x HTTP/1.1')))).toEqual({ kind: 'none' });
    expect(requestFraming(parseRequestHead(head('PUT /x HTTP/1.1\r\nContent-Length: 12')))).toEqual({ kind: 'length', bytes: 12 });
    expect(requestFraming(parseRequestHead(head('PATCH /x HTTP/1.1\r\nTransfer-Encoding: chunked')))).toEqual({ kind: 'chunked' });
    const ok = parseResponseHead(head('HTTP/1.1 200 OK\r\nContent-Length: 9'));
    expect(responseFraming(ok, 'HEAD')).toEqual({ kind: 'none' });
    expect(responseFraming(ok, 'GET')).toEqual({ kind: 'length', bytes: 9 });
    expect(responseFraming(parseResponseHead(head('HTTP/1.1 204 No Content')), 'DELETE')).toEqual({ kind: 'none' });
    expect(responseFraming(parseResponseHead(head('HTTP/1.1 200 OK')), 'GET')).toEqual({ kind: 'close' });
  });
});

describe('body meter', () => {
  const chunked = '5\r\nhello\r\n10;ext=1\r\n0123456789abcdef\r\n0\r\nTrailer: t\r\n\r\n';

  it.each([1, 2, 3, 7, 64])('finds the end of a chunked body fed %i bytes at a time, changing nothing', (size) => {
    expect(meter({ kind: 'chunked' }, `${chunked}GET /next`, size)).toEqual({ body: chunked, rest: 'GET /next', done: true });
  });

  it('counts a length-delimited body and keeps what follows for the next message', () => {
    expect(meter({ kind: 'length', bytes: 5 }, 'helloPUT', 3)).toEqual({ body: 'hello', rest: 'PUT', done: true });
  });

  it.each([
    ['a chunk-size line', '5\nhello\r\n0\r\n\r\n'],
    ['the end of chunk data', '5\r\nhello\n0\r\n\r\n'],
    ['the last chunk', '5\r\nhello\r\n0\n\r\n'],
    ['the final blank line', '5\r\nhello\r\n0\r\n\n'],
  ])('refuses a bare LF ending %s', (_where, wire) => {
    expect(() => meter({ kind: 'chunked' }, wire, 64)).toThrow(/CRLF/);
  });

  it('refuses a malformed chunk size', () => {
    expect(() => meter({ kind: 'chunked' }, 'zz\r\nhello\r\n', 64)).toThrow(/chunk size/);
  });
});
