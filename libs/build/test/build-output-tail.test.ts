/** What a failed build's refusal quotes of the steps' output, from the stream as the classic builder sends it. */
import { describe, expect, it } from 'vitest';
import { BuildOutputTail } from '../src/build-output-tail.js';

const tailOf = (chunks: string[]): string => {
  const tail = new BuildOutputTail();
  for (const chunk of chunks) tail.add(chunk);
  return tail.tail();
};

describe('BuildOutputTail', () => {
  it('joins a line the builder sent in pieces, each piece in its own colour codes', () => {
    const chunks = ['Step 2/9 : RUN apt-get update\n', ' ---> Running in 0123abcd\n', '\u001b[91mW: \u001b[0m', "\u001b[91mFailed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'\n\u001b[0m"];
    expect(tailOf(chunks)).toBe(` (last output: "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'")`);
  });

  it('quotes the last lines that name a problem before the plain last lines', () => {
    const chunks = ['W: one\n', 'Reading package lists...\n', "E: Package 'gnupg2' has no installation candidate\n", 'is only available from another source\n', 'gpgv\n'];
    expect(tailOf(chunks)).toBe(` (last output: "W: one" / "E: Package 'gnupg2' has no installation candidate")`);
  });

  it('quotes the last three lines when none names a problem, and a last line without its newline', () => {
    expect(tailOf(['a\nb\n', 'c\nd'])).toBe(' (last output: "b" / "c" / "d")');
  });

  it('never passes on control characters, and says nothing when the steps printed nothing', () => {
    const quoted = tailOf(['\u001b]52;c;ZXZpbA==\u0007 x\r\n']);
    expect([...quoted].filter((char) => char.charCodeAt(0) < 0x20)).toEqual([]);
    expect(tailOf(['Step 1/2 : FROM x\n', ' ---> 0123\n'])).toBe('');
  });
});
