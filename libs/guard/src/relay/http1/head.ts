import type { IncomingHttpHeaders } from 'node:http';
import { hasOwnName, ownRecord } from '@lading/contracts';
import { CodedError } from '@lading/contracts/errors';

/** A message head as sent on the wire: start line and header fields in their original order. */
export interface MessageHead {
  startLine: string;
  fields: Array<[name: string, value: string]>;
}

export interface RequestHead extends MessageHead {
  method: string;
  target: string;
  version: string;
}

export interface ResponseHead extends MessageHead {
  status: number;
}

/** A head the relay will not forward; `status` is what the client is answered. */
export class MalformedHeadError extends CodedError {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super('invalid_request', message);
  }
}

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const fieldValue = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * False as soon as the first bytes cannot begin a request line — a TLS handshake sent to this
 * plain-HTTP port, say — so the client is answered at once instead of waiting for a blank line
 * that never comes.
 */
export function couldStartRequest(bytes: Buffer): boolean {
  const lineEnd = bytes.indexOf(13);
  const line = bytes.subarray(0, lineEnd < 0 ? Math.min(bytes.length, 8192) : lineEnd);
  if (line.length > 0 && (line[0]! < 0x41 || line[0]! > 0x5a)) return false;
  return line.every((byte) => byte >= 0x20 && byte < 0x7f);
}

/** Offset just past the blank line that ends a head, or -1 while it is incomplete. */
export function headEnd(bytes: Buffer): number {
  const at = bytes.indexOf('\r\n\r\n', 0, 'latin1');
  return at < 0 ? -1 : at + 4;
}

function parseFields(lines: string[]): Array<[string, string]> {
  return lines.map((line) => {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    const value = line.slice(colon + 1).trim();
    // Obsolete line folding and spaces before the colon are refused (RFC 9112 §5.1, §5.2).
    if (!token.test(name) || !fieldValue.test(value)) throw new MalformedHeadError(`malformed header field "${line.slice(0, 64)}"`);
    return [name, value];
  });
}

function splitHead(bytes: Buffer): string[] {
  return bytes.toString('latin1', 0, bytes.length - 4).split('\r\n');
}

export function parseRequestHead(bytes: Buffer): RequestHead {
  const [startLine = '', ...lines] = splitHead(bytes);
  const parts = startLine.split(' ');
  const [method = '', target = '', version = ''] = parts;
  if (parts.length !== 3 || !token.test(method) || !target.startsWith('/') || !/^HTTP\/1\.[01]$/.test(version)) {
    throw new MalformedHeadError(`malformed request line "${startLine.slice(0, 64)}"`);
  }
  return { startLine, fields: parseFields(lines), method, target, version };
}

export function parseResponseHead(bytes: Buffer): ResponseHead {
  const [startLine = '', ...lines] = splitHead(bytes);
  const match = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(startLine);
  if (!match) throw new MalformedHeadError(`malformed status line "${startLine.slice(0, 64)}"`, 502);
  return { startLine, fields: parseFields(lines), status: Number(match[1]) };
}

/** Every value of a field, case-insensitively, in order. */
export function fieldValues(head: MessageHead, name: string): string[] {
  const wanted = name.toLowerCase();
  return head.fields.filter(([field]) => field.toLowerCase() === wanted).map(([, value]) => value);
}

export function field(head: MessageHead, name: string): string | undefined {
  return fieldValues(head, name)[0];
}

/** The head's fields as node:http would present them, for code written against IncomingMessage. */
export function asIncomingHeaders(head: MessageHead): IncomingHttpHeaders {
  // Field names are the client's: a `constructor` field is a field, and `__proto__` one too.
  const headers = ownRecord<string>();
  for (const [name, value] of head.fields) {
    const key = name.toLowerCase();
    headers[key] = hasOwnName(headers, key) ? `${headers[key]}, ${value}` : value;
  }
  return headers;
}

/** The head with some fields removed and others set, serialised for the wire. */
export function writeHead(startLine: string, fields: Array<[string, string]>): Buffer {
  return Buffer.from(`${startLine}\r\n${fields.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`, 'latin1');
}
