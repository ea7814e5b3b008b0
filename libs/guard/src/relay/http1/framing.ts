import { field, fieldValues, MalformedHeadError, type RequestHead, type ResponseHead } from './head.js';

/** How a message body is delimited on the wire (RFC 9112 §6). */
export type Framing = { kind: 'none' } | { kind: 'length'; bytes: number } | { kind: 'chunked' } | { kind: 'close' };

function transferEncodings(head: RequestHead | ResponseHead): string[] {
  return fieldValues(head, 'transfer-encoding').flatMap((value) => value.split(',').map((coding) => coding.trim().toLowerCase()));
}

function contentLength(head: RequestHead | ResponseHead, status: number): number | undefined {
  const values = fieldValues(head, 'content-length').flatMap((value) => value.split(',').map((part) => part.trim()));
  if (values.length === 0) return undefined;
  if (!values.every((value) => /^\d{1,15}$/.test(value) && value === values[0])) {
    throw new MalformedHeadError('conflicting or malformed Content-Length', status);
  }
  return Number(values[0]);
}

/**
 * A request's body framing. A request carrying both Transfer-Encoding and Content-Length, or a
 * transfer coding other than chunked, is refused: two servers reading it differently is how
 * requests are smuggled past a proxy.
 */
export function requestFraming(head: RequestHead): Framing {
  const codings = transferEncodings(head);
  if (codings.length > 0) {
    if (codings.join(',') !== 'chunked') throw new MalformedHeadError(`unsupported Transfer-Encoding "${codings.join(', ')}"`, 501);
    if (field(head, 'content-length') !== undefined) throw new MalformedHeadError('both Transfer-Encoding and Content-Length');
    return { kind: 'chunked' };
  }
  const length = contentLength(head, 400);
  return length === undefined || length === 0 ? { kind: 'none' } : { kind: 'length', bytes: length };
}

export function responseFraming(head: ResponseHead, requestMethod: string): Framing {
  if (requestMethod === 'HEAD' || head.status < 200 || head.status === 204 || head.status === 304) return { kind: 'none' };
  const codings = transferEncodings(head);
  if (codings.length > 0) return codings.at(-1) === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
  const length = contentLength(head, 502);
  if (length === undefined) return { kind: 'close' };
  return length === 0 ? { kind: 'none' } : { kind: 'length', bytes: length };
}
