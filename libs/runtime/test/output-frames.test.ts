import { describe, expect, it } from 'vitest';
import { createOutputFrameParser, OutputFrameScanner } from '../src/internal.js';

const nonce = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const frame = (name: string, value: string): string => `${nonce} output ${name} ${Buffer.from(value).toString('base64')}\n`;

async function parse(chunks: string[]): Promise<{ passed: string; outputs: Array<[string, string]>; malformed: string[] }> {
  const outputs: Array<[string, string]> = [];
  const malformed: string[] = [];
  const parser = createOutputFrameParser(nonce, (name, value) => outputs.push([name, value.toString()]), {
    onMalformed: (reason) => malformed.push(reason),
  });
  const passed: Buffer[] = [];
  parser.on('data', (chunk: Buffer) => passed.push(chunk));
  const finished = new Promise((resolve) => parser.on('end', resolve));
  for (const chunk of chunks) parser.write(Buffer.from(chunk));
  parser.end();
  await finished;
  return { passed: Buffer.concat(passed).toString(), outputs, malformed };
}

function splitEverywhere(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

describe('createOutputFrameParser', () => {
  const stream = `installing...\n${frame('kubeconfig', 'apiVersion: v1\nsecret: s3cr3t')}done ${frame('mid-line', 'x')}${frame('port', '8080')}tail without newline`;

  for (const size of [1, 2, 3, 7, 13, 64, 10_000]) {
    it(`reports frames and passes everything else unchanged with ${size}-byte chunks`, async () => {
      const result = await parse(splitEverywhere(stream, size));
      expect(result.outputs).toEqual([
        ['kubeconfig', 'apiVersion: v1\nsecret: s3cr3t'],
        ['mid-line', 'x'],
        ['port', '8080'],
      ]);
      // A frame that interrupts a line ends that line, as its own newline would have.
      expect(result.passed).toBe(`installing...\ndone \ntail without newline`);
      expect(result.passed).not.toContain('s3cr3t');
    });
  }

  it('passes through a line that only starts like the nonce', async () => {
    const result = await parse([nonce.slice(0, 10), 'zz output x eA==\n']);
    expect(result.outputs).toEqual([]);
    expect(result.passed).toBe(`${nonce.slice(0, 10)}zz output x eA==\n`);
  });

  it('ignores frames with another nonce: they are ordinary output', async () => {
    const forged = `ffffffffffffffffffffffffffffffff output password ${Buffer.from('x').toString('base64')}\n`;
    const result = await parse([forged]);
    expect(result.outputs).toEqual([]);
    expect(result.passed).toBe(forged);
  });

  it('drops and reports a malformed frame instead of leaking the nonce', async () => {
    const result = await parse([`${nonce} output bad name!! ###\nnext\n`]);
    expect(result.outputs).toEqual([]);
    expect(result.malformed).toHaveLength(1);
    expect(result.passed).toBe('next\n');
  });

  it('reads frames by the run protocol the run script is rendered from: a name the manifest allows, padded base64', async () => {
    const result = await parse([`${nonce} output dotted..name aGk=\n${nonce} output message aGk\n${frame('message', 'hi')}`]);
    expect(result.outputs).toEqual([['message', 'hi']]);
    expect(result.malformed).toHaveLength(2);
  });

  it('reports a final frame without a trailing newline', async () => {
    const result = await parse([`x\n${nonce} output last ${Buffer.from('v').toString('base64')}`]);
    expect(result.outputs).toEqual([['last', 'v']]);
    expect(result.passed).toBe('x\n');
  });

  it('drops a frame longer than the limit and resumes after its newline', async () => {
    const outputs: string[] = [];
    const malformed: string[] = [];
    const parser = createOutputFrameParser(nonce, (name) => outputs.push(name), { maxFrameBytes: 64, onMalformed: (reason) => malformed.push(reason) });
    const passed: Buffer[] = [];
    parser.on('data', (chunk: Buffer) => passed.push(chunk));
    const finished = new Promise((resolve) => parser.on('end', resolve));
    parser.write(`${nonce} output huge ${'A'.repeat(100)}`);
    parser.write(`${'A'.repeat(100)}\nafter\n`);
    parser.end();
    await finished;
    expect(outputs).toEqual([]);
    expect(malformed).toEqual(['an output frame is longer than 64 bytes']);
    expect(Buffer.concat(passed).toString()).toBe('after\n');
  });
});

describe('mask frames', () => {
  it('reports a mask frame before returning the bytes around it, and removes it from the output', () => {
    const events: string[] = [];
    const scanner = new OutputFrameScanner(nonce, (name) => events.push(`output ${name}`), { onMask: (value) => events.push(`mask ${value.toString()}`) });
    const masked = Buffer.from('out-secret').toString('base64');
    for (const bytes of scanner.scan(Buffer.from(`before\n${nonce} mask ${masked}\nafter\n`))) events.push(`bytes ${bytes.toString()}`);
    expect(events).toEqual(['mask out-secret', 'bytes before\n', 'bytes after\n']);
  });
});

describe('step frames', () => {
  it("reports a step's start with its span id and its end with its exit status, and drops malformed ones", () => {
    const steps: unknown[] = [];
    const malformed: string[] = [];
    const scanner = new OutputFrameScanner(nonce, () => undefined, { onStep: (step) => steps.push(step), onMalformed: (reason) => malformed.push(reason) });
    const text = [
      `${nonce} step 1 start 00f067aa0ba902b7`,
      'step output',
      `${nonce} step 1 end 0`,
      `${nonce} step 2 start 0000000000000000`,
      `${nonce} step 0 start 00f067aa0ba902b7`,
      `${nonce} step 2 end -1`,
      `${nonce} step 2 start 00F067AA0BA902B7`,
      `${nonce} step 3 end 12`,
      '',
    ].join('\n');
    const passed = scanner.scan(Buffer.from(text)).map((bytes) => bytes.toString()).join('');
    expect(passed).toBe('step output\n');
    expect(steps).toEqual([
      { index: 1, kind: 'start', spanId: '00f067aa0ba902b7' },
      { index: 1, kind: 'end', exitCode: 0 },
      { index: 3, kind: 'end', exitCode: 12 },
    ]);
    expect(malformed).toHaveLength(4);
  });
});
