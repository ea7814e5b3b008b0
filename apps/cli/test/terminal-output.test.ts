import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BundleOutputPrinter, bundleLineMark } from '../src/bundle-output-printer.js';
import { renderTable } from '../src/output.js';
import { neutraliseControls } from '../src/terminal-text.js';

const attacks: Array<[string, string]> = [
  ['OSC 52 (set the clipboard)', '\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007'],
  ['a CSI cursor move and line erase', '\u001b[1A\u001b[2K'],
  ['a carriage return over a line', 'harmless\rinstall demo: succeeded'],
  ['an 8-bit CSI', '\u009b31m'],
  ['a backspace run', 'abc\b\b\b'],
  ['DEL', 'x\u007f'],
  ['a bidirectional override', 'txt.\u202eexe'],
];

describe('bundle output on a terminal', () => {
  it.each(attacks)('shows %s as visible escapes', (_name, text) => {
    const shown = neutraliseControls(text);
    // eslint-disable-next-line no-control-regex -- the assertion is that none is left
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(shown).toMatch(/\\x[0-9a-f]{2}|\\u[0-9a-f]{4}/);
  });

  it('keeps newlines, tabs and CRLF line ends as line ends', () => {
    expect(neutraliseControls('a\tb\r\nc\n')).toBe('a\tb\nc\n');
  });

  it('marks every bundle line, across events and on both streams, so none can pass for a CLI status line', () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const printer = new BundleOutputPrinter({ stdout, stderr });
    const log = (stream: 'stdout' | 'stderr', data: string) => printer.print({ type: 'log', runId: 'r', stream, data });
    log('stdout', 'install demo: succ');
    log('stdout', 'eeded\nnext\n');
    log('stderr', '\rinstall demo: succeeded\n');
    log('stderr', 'open');
    printer.endOpenLines();
    const out = stdout.read().toString();
    const err = stderr.read().toString();
    expect(out).toBe(`${bundleLineMark}install demo: succeeded\n${bundleLineMark}next\n`);
    expect(err).toBe(`${bundleLineMark}\\x0dinstall demo: succeeded\n${bundleLineMark}open\n`);
    for (const line of (out + err).split('\n').filter(Boolean)) expect(line.startsWith(bundleLineMark)).toBe(true);
  });

  it('keeps every table cell on its row, its control characters shown', () => {
    const table = renderTable([{ name: 'msg', value: 'a\nFAKE   row\u001b[2K' }], ['name', 'value']);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toContain('a\\nFAKE   row\\x1b[2K');
  });
});
