/** Lines of the classic builder's own progress, not what a step printed. */
const progressLine = /^(Step \d+\/\d+ : |---> |Removing intermediate container |Successfully (built|tagged) |\[Warning\] )/;
/** Lines that say what went wrong (apt's `E:`/`W:`, curl's `curl: (6) …`): quoted before the plain last lines. */
const problemLine = /^(E|W|Err|error|fatal|warning):|^curl: \(\d+\)/i;

/** How many of a failed build's lines the refusal quotes, and how long each may be. */
const quotedLines = 3;
const quotedLength = 200;

/**
 * What a build's steps printed last, so a RUN that fails (apt-get or curl without internet) is
 * refused with what it said, on one line: the last lines that name a problem, else the last
 * lines. Escape sequences and control characters never reach the user.
 */
export class BuildOutputTail {
  private readonly last: string[] = [];
  private readonly problems: string[] = [];
  /** The builder's chunks do not end at line ends: the unfinished line waits for the next chunk. */
  private partial = '';

  add(stream: string | undefined): void {
    const lines = (this.partial + (stream ?? '')).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    this.take(lines);
  }

  private take(lines: readonly string[]): void {
    for (const raw of lines) {
      // The builder colours a step's stderr with escape sequences: dropped, as is every other control character.
      // eslint-disable-next-line no-control-regex
      const line = raw.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
      if (line === '' || progressLine.test(line)) continue;
      const quoted = line.length > quotedLength ? `${line.slice(0, quotedLength)}…` : line;
      keepLast(this.last, quoted);
      if (problemLine.test(line)) keepLast(this.problems, quoted);
    }
  }

  /** ` (last output: "…" / "…")`, or nothing when the steps printed nothing. */
  tail(): string {
    this.take([this.partial]);
    this.partial = '';
    const lines = this.problems.length > 0 ? this.problems : this.last;
    return lines.length === 0 ? '' : ` (last output: ${lines.map((line) => JSON.stringify(line)).join(' / ')})`;
  }
}

function keepLast(lines: string[], line: string): void {
  lines.push(line);
  if (lines.length > quotedLines) lines.shift();
}
