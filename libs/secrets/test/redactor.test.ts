import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRedactor, redactText, StreamRedactor, type LabelledBytes } from '../src/internal.js';

async function throughRedactor(chunks: Buffer[], values: (Buffer | string)[], mask?: string): Promise<string> {
  const out: Buffer[] = [];
  const redactor = createRedactor(values, mask);
  const done = new Promise<void>((resolve, reject) => {
    redactor.on('data', (chunk: Buffer) => out.push(chunk));
    redactor.on('end', resolve);
    redactor.on('error', reject);
  });
  Readable.from(chunks, { objectMode: false }).pipe(redactor);
  await done;
  return Buffer.concat(out).toString();
}

function splitAt(text: string, ...cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const points = [0, ...cuts, bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

const SECRET = 'hunter2-canary';

describe('createRedactor', () => {
  it('masks a value inside a longer base64 encoding, at every alignment', async () => {
    for (const prefix of ['', 'x', 'xy', 'token=']) {
      const encoded = Buffer.from(`${prefix}${SECRET}\n`).toString('base64');
      expect(await throughRedactor([Buffer.from(encoded)], [SECRET])).not.toBe(encoded);
    }
  });

  it('passes ordinary output on at once, holding back only a tail that could begin a value', async () => {
    const redactor = createRedactor([SECRET]);
    const seen: string[] = [];
    redactor.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    const written = (text: string) => new Promise<void>((resolve) => redactor.write(Buffer.from(text), () => resolve()));
    await written('READY\n');
    expect(seen.join('')).toBe('READY\n');
    await written('token=hunter');
    expect(seen.join('')).toBe('READY\ntoken=');
    await written('2-canary done\n');
    expect(seen.join('')).toBe('READY\ntoken=******* done\n');
  });

  it('masks a value split at every possible chunk boundary', async () => {
    const text = `before ${SECRET} after`;
    for (let cut = 0; cut <= Buffer.byteLength(text); cut += 1) {
      expect(await throughRedactor(splitAt(text, cut), [SECRET])).toBe('before ******* after');
    }
  });

  it('masks a value split into single bytes and at every pair of boundaries', async () => {
    const text = `x${SECRET}y${SECRET}`;
    const bytes = Buffer.from(text);
    expect(await throughRedactor([...bytes].map((b) => Buffer.from([b])), [SECRET])).toBe('x*******y*******');
    for (let a = 1; a < bytes.length; a += 1) {
      for (let b = a; b < bytes.length; b += 1) {
        expect(await throughRedactor(splitAt(text, a, b), [SECRET])).toBe('x*******y*******');
      }
    }
  });

  it('masks several values, the longest first where they share a start', async () => {
    const out = await throughRedactor(splitAt('key=abcdef, pin=abc, other=zz9y', 7, 20), ['abc', 'abcdef', Buffer.from('zz9y')], '[x]');
    expect(out).toBe('key=[x], pin=[x], other=[x]');
  });

  it('masks the base64 form of a value, padded or not', async () => {
    const encoded = Buffer.from(SECRET).toString('base64');
    const out = await throughRedactor(splitAt(`auth: ${encoded} / ${encoded.replace(/=+$/, '')}.`, 10), [SECRET]);
    expect(out).not.toContain(encoded.replace(/=+$/, ''));
    expect(out).toBe('auth: ******* / *******.');
  });

  it('masks a value longer than every chunk', async () => {
    const long = 'L'.repeat(50) + SECRET + 'M'.repeat(50);
    const text = `start ${long} end`;
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    expect(await throughRedactor(chunks, [long])).toBe('start ******* end');
  });

  it('masks values shorter than 4 bytes too, and ignores empty values', async () => {
    expect(await throughRedactor(splitAt('pin 42 ok', 5), ['42', ''])).toBe('pin ******* ok');
  });

  it('passes text without secrets unchanged, however it is chunked', async () => {
    const text = 'nothing secret here, just a log line\n'.repeat(20);
    expect(await throughRedactor(splitAt(text, 3, 100, 101), [SECRET])).toBe(text);
    expect(await throughRedactor([], [SECRET])).toBe('');
  });
});

describe('redactText', () => {
  it('masks every value and its base64 in a string', () => {
    const text = `a ${SECRET} b ${Buffer.from(SECRET).toString('base64')} c ${SECRET}`;
    expect(redactText(text, [SECRET])).toBe('a ******* b ******* c *******');
    expect(redactText('héllo wörld', ['wörld'], '#')).toBe('héllo #');
  });
});

const shown = (parts: LabelledBytes<string>[]) => parts.map((part) => `${part.label}:${part.bytes.toString('latin1')}`).join('|');

describe('StreamRedactor over interleaved streams', () => {
  it('masks a value printed half on stdout and half on stderr, labelling the mask by its first byte', () => {
    const redactor = new StreamRedactor<string>([SECRET]);
    const out = [
      ...redactor.write(Buffer.from('a hunter2'), 'stdout'),
      ...redactor.write(Buffer.from('-canary b\n'), 'stderr'),
      ...redactor.end(),
    ];
    expect(shown(out)).toBe('stdout:a |stdout:*******|stderr: b\n');
  });

  it('keeps the label of every unmasked byte', () => {
    const redactor = new StreamRedactor<string>([SECRET]);
    const out = [...redactor.write(Buffer.from('one\n'), 'stdout'), ...redactor.write(Buffer.from('two\n'), 'stderr'), ...redactor.end()];
    expect(shown(out)).toBe('stdout:one\n|stderr:two\n');
  });

  it('masks a value it learns mid-stream in everything written afterwards', () => {
    const redactor = new StreamRedactor<string>([]);
    expect(shown(redactor.write(Buffer.from('before out-value\n'), 'stdout'))).toBe('stdout:before out-value\n');
    redactor.learn(['out-value']);
    expect(shown([...redactor.write(Buffer.from('after out-value\n'), 'stdout'), ...redactor.end()])).toBe('stdout:after *******\n');
  });
});

describe('the forms the run script produces', () => {
  const cases: Array<[string, Buffer, string]> = [
    ['a trailing newline dropped by $(cat …)', Buffer.from(`${SECRET}\n\n`), `[${SECRET}]`],
    ['a CR left behind by $(cat …) of a CRLF ending', Buffer.from(`${SECRET}\r\n`), `[${SECRET}\r]`],
    ['a NUL the shell dropped', Buffer.from(`hunter2\0-canary`), `[${SECRET}]`],
    ['a NUL dropped and a trailing newline lost', Buffer.from(`hunter2\0-canary\n`), `[${SECRET}]`],
  ];
  it.each(cases)('masks the value with %s', (_name, value, printed) => {
    expect(redactText(printed, [value])).toBe('[*******]');
    expect(redactText(`x${Buffer.from(printed.slice(1, -1)).toString('base64')}`, [value])).toBe('x*******');
  });
});

describe('a value as large as a value may be', () => {
  it('masks a 1 MiB value streamed in 64 KiB chunks, and passes the text around it', () => {
    const value = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, i) => 97 + ((i * 7919) % 26)));
    const text = Buffer.concat([Buffer.from('before '), value, Buffer.from(' after\n')]);
    const redactor = new StreamRedactor<string>([value]);
    const out: Buffer[] = [];
    for (let at = 0; at < text.length; at += 64 * 1024) for (const part of redactor.write(text.subarray(at, at + 64 * 1024), 'stdout')) out.push(part.bytes);
    for (const part of redactor.end()) out.push(part.bytes);
    expect(Buffer.concat(out).toString()).toBe('before ******* after\n');
  });
});
