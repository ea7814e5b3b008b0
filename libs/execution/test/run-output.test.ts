import { describe, expect, it } from 'vitest';
import { RunOutput, type RunOutputOptions } from '../src/internal.js';

const nonce = '00112233445566778899aabbccddeeff';
const b64 = (text: string) => Buffer.from(text).toString('base64');

function runOutput(options: Partial<RunOutputOptions> = {}) {
  const delivered: Array<[string, string]> = [];
  const output = new RunOutput({
    nonce,
    secretValues: ['leased-value-1'],
    sensitiveOutputs: new Set(['token']),
    logLimit: 1024,
    deliver: (stream, text) => delivered.push([stream, text]),
    ...options,
  });
  const text = (stream?: string) => delivered.filter(([s]) => !stream || s === stream).map(([, t]) => t).join('');
  return { output, delivered, text };
}

describe('RunOutput', () => {
  it('holds back a value begun on stdout while stderr arrives in between, in the stream and the log', () => {
    const { output, text } = runOutput();
    output.stdout(Buffer.from('start leased-'));
    output.stderr(Buffer.from('late stderr line\n'));
    output.stdout(Buffer.from('value-1 end\n'));
    const { log } = output.end();
    expect(text('stdout')).toBe('start ******* end\n');
    expect(log).not.toContain('leased-value-1');
  });

  it('masks a sensitive output from its mask frame on, and removes the frames', () => {
    const { output, text } = runOutput();
    output.stdout(Buffer.from(`${nonce} mask ${b64('out-secret')}\nthe token is out-secret\n`));
    output.stderr(Buffer.from(`${b64('out-secret')}\n`));
    output.stdout(Buffer.from(`${nonce} output token ${b64('out-secret')}\n`));
    const { log } = output.end();
    expect(text()).toBe('the token is *******\n*******\n');
    expect(log).not.toContain('out-secret');
    expect(output.outputs.get('token')?.toString()).toBe('out-secret');
  });

  it('masks the value of a sensitive output in what follows its output frame', () => {
    const { output, text } = runOutput();
    output.stdout(Buffer.from(`${nonce} output token ${b64('late-secret')}\nlate-secret\n`));
    output.end();
    expect(text()).toBe('*******\n');
  });

  it('keeps an output that holds a leased value with the value masked', () => {
    const { output } = runOutput();
    output.stdout(Buffer.from(`${nonce} output plain ${b64('x=leased-value-1\n')}\n`));
    output.end();
    expect(output.outputs.get('plain')?.toString()).toBe('x=*******\n');
  });

  it('keeps only the tail of the log, says it was cut, and still streams every byte', () => {
    const { output, text } = runOutput({ logLimit: 100 });
    for (let i = 0; i < 1000; i += 1) output.stdout(Buffer.from(`line ${String(i).padStart(4, '0')}\n`));
    const { log, truncated } = output.end();
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(log)).toBe(100);
    expect(log.endsWith('line 0999\n')).toBe(true);
    expect(text().split('\n')).toHaveLength(1001);
  });

  it('delivers a character split across chunks whole', () => {
    const { output, delivered } = runOutput();
    const euro = Buffer.from('€');
    output.stdout(euro.subarray(0, 1));
    output.stdout(euro.subarray(1));
    output.end();
    expect(delivered.map(([, text]) => text).join('')).toBe('€');
    expect(delivered.every(([, text]) => !text.includes('\ufffd'))).toBe(true);
  });
});
