/** Lines of the classic builder's own progress, not what a step printed. */
const progressLine = /^(Step \d+\/\d+ : |---> |Removing intermediate container |Successfully (built|tagged) |\[Warning\] )/;

/** How many of a failed build's last lines the refusal quotes, and how long each may be. */
const quotedLines = 3;
const quotedLength = 200;

/**
 * The last lines a build's steps printed, so a RUN that fails (apt-get or curl without internet)
 * is refused with what it said, on one line; control characters never reach the user.
 */
export class BuildOutputTail {
  private readonly lines: string[] = [];

  add(stream: string | undefined): void {
    for (const raw of (stream ?? '').split(/\r?\n/)) {
      // The builder colours a step's stderr with escape sequences: dropped, as is every other control character.
      // eslint-disable-next-line no-control-regex
      const line = raw.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
      if (line === '' || progressLine.test(line)) continue;
      this.lines.push(line.length > quotedLength ? `${line.slice(0, quotedLength)}…` : line);
      if (this.lines.length > quotedLines) this.lines.shift();
    }
  }

  /** ` (last output: "…" / "…")`, or nothing when the steps printed nothing. */
  tail(): string {
    return this.lines.length === 0 ? '' : ` (last output: ${this.lines.map((line) => JSON.stringify(line)).join(' / ')})`;
  }
}
